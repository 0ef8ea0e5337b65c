import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GateSettings, gateSettingsFromEnv } from '../../../setup/gate-settings';
import { configLayout, ConfigLayout } from '../config-files';
import { CertificateError, issueModalityCertificate, pinOf } from '../../../setup/dicom/certificates';
import { addModality, findModality, pinCertificate, Registry, RegistryError, removeModality } from '../../../setup/dicom/modality';
import { readRegistry, saveRegistry, trustedCaPems } from '../../../setup/dicom/registry-files';
import { reloadNginx, reloadOrthanc } from '../../../setup/dicom/reload';
import { type Clock, systemClock } from '../clock';
import { CliError, type CliContext, type CliOutput, formatTable, runCli } from './cli';

export const MODALITIES_USAGE = `usage: npm run modalities -- add NAME --aet AET --host IPV4 --port PORT [--store] [--find] [--get] [--issue-cert | --cert FILE]
       npm run modalities -- list | remove NAME | issue-cert NAME | revoke-cert NAME
  (reads PACSGATE_CONFIG_DIR like the server; a running stack picks every change up at once)`;

const OPTIONS = {
  aet: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, cert: { type: 'string' },
  store: { type: 'boolean', default: false }, find: { type: 'boolean', default: false }, get: { type: 'boolean', default: false },
  move: { type: 'boolean', default: false }, 'issue-cert': { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

interface Change {
  registry: Registry;
  /** Whether Orthanc must read its modalities again (pins concern only Nginx). */
  orthanc: boolean;
}

interface Run {
  cli: CliContext;
  layout: ConfigLayout;
  settings: GateSettings;
  registry: Registry;
  name: string;
  values: Values;
}

function issueCertificate(run: Run, registry: Registry): Registry {
  const modality = findModality(registry, run.name);
  const dir = join(run.layout.issuedModalityCerts, modality.name);
  const files = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), ca: join(dir, 'ca.pem') };
  const pem = issueModalityCertificate(run.layout, files, modality.name, modality.aet);
  run.cli.audit.record({ event: 'admin.action', action: 'issue-modality-cert', modality: modality.name, ...run.cli.actor });
  run.cli.output.out(`Certificate for ${modality.name} (the only one it is let in with from now on):\n  certificate  ${files.cert}\n  private key  ${files.key}  (0600: copy it to the modality and delete it here)\n  gate's CA    ${files.ca}`);
  return pinCertificate(registry, modality.name, pinOf(pem, trustedCaPems(run.layout, run.settings)));
}

function add(run: Run): Change {
  const { values } = run;
  if (values.move) throw new CliError('C-MOVE is not offered: Orthanc would open its own, plain connection to the destination. Use --get: C-GET brings the images back inside the same TLS association.');
  if (values['issue-cert'] && values.cert) throw new CliError('give --issue-cert or --cert FILE, not both');
  // Checked before anything is registered, so a wrong certificate leaves no modality behind.
  const pin = values.cert ? pinOf(readFileSync(values.cert, 'utf8'), trustedCaPems(run.layout, run.settings)) : undefined;
  let registry = addModality(run.registry, {
    name: run.name, aet: values.aet ?? '', host: values.host ?? '', port: Number(values.port ?? Number.NaN),
    store: values.store, find: values.find, get: values.get,
  });
  if (pin) registry = pinCertificate(registry, run.name, pin);
  run.cli.audit.record({ event: 'admin.action', action: 'add-modality', modality: run.name, ...run.cli.actor });
  if (pin) run.cli.audit.record({ event: 'admin.action', action: 'pin-modality-cert', modality: run.name, ...run.cli.actor });
  const allowed = ['echo', ...(['store', 'find', 'get'] as const).filter((permission) => values[permission])].join(', ');
  run.cli.output.out(`Registered ${run.name} (AE title ${values.aet}, from ${values.host}): ${allowed}.`);
  if (values['issue-cert']) registry = issueCertificate(run, registry);
  if (!values['issue-cert'] && !values.cert) run.cli.output.out(`It has no certificate yet, so it cannot connect: npm run modalities -- issue-cert ${run.name}`);
  return { registry, orthanc: true };
}

function list(run: Run): Change {
  const rows = run.registry.modalities.map((modality) => [
    modality.name, modality.aet, modality.host, String(modality.port),
    ['echo', ...(['store', 'find', 'get'] as const).filter((permission) => modality[permission])].join(','),
    modality.certificate ? `${modality.certificate.subject} (until ${modality.certificate.expires.slice(0, 10)})` : 'none',
  ]);
  for (const line of formatTable(['NAME', 'AE TITLE', 'HOST', 'PORT', 'ALLOWED', 'CERTIFICATE'], rows)) run.cli.output.out(line);
  run.cli.output.out(run.registry.modalities.length > 0 ? `DICOM TLS port: ${run.settings.dicomTlsPort}` : 'No modality is registered: the DICOM TLS port is closed.');
  return { registry: run.registry, orthanc: false };
}

function remove(run: Run): Change {
  const registry = removeModality(run.registry, run.name);
  run.cli.audit.record({ event: 'admin.action', action: 'remove-modality', modality: run.name, ...run.cli.actor });
  run.cli.output.out(`Removed ${run.name}; it is refused from now on.`);
  return { registry, orthanc: true };
}

function revokeCert(run: Run): Change {
  if (!findModality(run.registry, run.name).certificate) throw new CliError(`${run.name} has no certificate to revoke`);
  const registry = pinCertificate(run.registry, run.name, undefined);
  run.cli.audit.record({ event: 'admin.action', action: 'revoke-modality-cert', modality: run.name, ...run.cli.actor });
  run.cli.output.out(`Revoked the certificate of ${run.name}: it is refused until it gets a new one (issue-cert).`);
  return { registry, orthanc: false };
}

const ACTIONS = new Map<string, (run: Run) => Change>([
  ['add', add],
  ['list', list],
  ['remove', remove],
  ['issue-cert', (run) => ({ registry: issueCertificate(run, run.registry), orthanc: false })],
  ['revoke-cert', revokeCert],
]);

/** Applies a change to the running stack, if there is one; a stopped stack reads the files at its next start. */
async function applyToRunningStack(layout: ConfigLayout, settings: GateSettings, change: Change, output: CliOutput): Promise<void> {
  const orthanc = change.orthanc && (await reloadOrthanc(layout, settings.orthancHttpPort, change.registry));
  const nginx = await reloadNginx(layout);
  output.out(orthanc || nginx ? 'The running stack has the change.' : 'No stack runs on this config dir: `npm run stack` applies it at its next start.');
  if (change.registry.modalities.length > 0 && nginx) output.out(`DICOM TLS port: ${settings.dicomTlsPort}`);
}

/** What the operator can fix (a bad argument, an unreadable file, a wrong certificate) is printed, not thrown. */
function asCliError(error: unknown): unknown {
  if (error instanceof RegistryError || error instanceof CertificateError) return new CliError(error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES') return new CliError(`cannot read ${(error as NodeJS.ErrnoException).path}`);
  if (error instanceof Error && error.message.startsWith('Invalid configuration')) return new CliError(error.message);
  return error;
}

/** `npm run modalities -- ...`; resolves with the exit code. */
export async function modalitiesCommand(args: string[], env: NodeJS.ProcessEnv, output: CliOutput, clock: Clock = systemClock): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    output.error(`pacsgate: ${(error as Error).message}\n${MODALITIES_USAGE}`);
    return 2;
  }
  const [actionName, name, ...extra] = parsed.positionals;
  const action = ACTIONS.get(actionName ?? '');
  if (!action || extra.length > 0 || (actionName === 'list') !== (name === undefined)) {
    output.error(MODALITIES_USAGE);
    return 2;
  }
  let applied: { layout: ConfigLayout; settings: GateSettings; change: Change } | undefined;
  const code = runCli(env, output, clock, (cli) => {
    try {
      const settings = gateSettingsFromEnv(env);
      const layout = configLayout(cli.config.configDir);
      const change = action({ cli, layout, settings, registry: readRegistry(layout), name: name ?? '', values: parsed.values });
      if (actionName === 'list') return;
      saveRegistry(layout, settings, change.registry);
      applied = { layout, settings, change };
    } catch (error) {
      throw asCliError(error);
    }
  });
  if (code !== 0 || !applied) return code;
  try {
    await applyToRunningStack(applied.layout, applied.settings, applied.change, output);
    return 0;
  } catch (error) {
    output.error(`pacsgate: saved, but ${(error as Error).message}`);
    return 1;
  }
}
