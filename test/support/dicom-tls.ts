import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { CliOutput } from '../../auth-server/src/cli/cli';
import { modalitiesCommand } from '../../auth-server/src/cli/modalities-command';
import type { GateSettings } from '../../setup/gate-settings';
import { configLayout } from '../../auth-server/src/config-files';

export interface ClientRun {
  code: number;
  /** Everything the program printed, stdout and stderr. */
  output: string;
}

/** Runs one of dcmtk's tools (or openssl); resolves however it ends. */
export function runClient(program: string, args: string[]): Promise<ClientRun> {
  return new Promise((resolve) => {
    execFile(program, args, { timeout: 20000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`.trim() }));
  });
}

export interface ClientCertificate {
  cert: string;
  key: string;
  ca: string;
}

/** What `--issue-cert` wrote for modality `name`. */
export function issuedFiles(settings: GateSettings, name: string): ClientCertificate {
  const dir = join(configLayout(settings.configDir).issuedModalityCerts, name);
  return { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), ca: join(dir, 'ca.pem') };
}

/** dcmtk's options for TLS with a client certificate, checking the gate against `ca`. */
export const tlsOptions = (files: ClientCertificate) => ['+tls', files.key, files.cert, '+cf', files.ca];

/** The environment `npm run modalities` would see on this stack. */
function cliEnv(settings: GateSettings): NodeJS.ProcessEnv {
  return {
    PACSGATE_CONFIG_DIR: settings.configDir,
    PACSGATE_PUBLIC_URL: settings.publicUrl,
    PACSGATE_HTTPS_PORT: String(settings.httpsPort),
    PACSGATE_ORTHANC_HTTP_PORT: String(settings.orthancHttpPort),
    PACSGATE_DICOM_PORT: String(settings.dicomPort),
    PACSGATE_DICOM_TLS_PORT: String(settings.dicomTlsPort),
    SUDO_USER: 'operator',
  };
}

/** `npm run modalities -- ...args` against the running stack; resolves with its exit code and lines. */
export async function modalities(settings: GateSettings, args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const output: CliOutput = { out: (line) => void out.push(line), error: (line) => void err.push(line) };
  const code = await modalitiesCommand(args, cliEnv(settings), output);
  return { code, out, err };
}

/** A CA pacsgate knows nothing about, and a client certificate it signed. */
export function foreignCertificate(dir: string): ClientCertificate {
  const file = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('foreign-ca.key'), '-out', file('foreign-ca.pem'), '-days', '2', '-subj', '/CN=Foreign CA']);
  openssl(['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('foreign.key'), '-out', file('foreign.pem'), '-days', '2',
    '-CA', file('foreign-ca.pem'), '-CAkey', file('foreign-ca.key'), '-subj', '/CN=PG_CT', '-addext', 'extendedKeyUsage=clientAuth']);
  return { cert: file('foreign.pem'), key: file('foreign.key'), ca: file('foreign-ca.pem') };
}

/**
 * A plain port on loopback that carries each connection over TLS, with `files`' certificate, to
 * the gate: for getscu, whose dcmtk 3.6.7 build has no TLS options of its own.
 */
export async function withTlsTunnel<T>(files: ClientCertificate, port: number, use: (localPort: number) => Promise<T>): Promise<T> {
  const tls = { cert: readFileSync(files.cert), key: readFileSync(files.key), ca: readFileSync(files.ca), servername: 'localhost' };
  const server = createServer((plain) => {
    const secure = connect({ host: '127.0.0.1', port, ...tls });
    plain.pipe(secure).pipe(plain);
    const close = () => {
      plain.destroy();
      secure.destroy();
    };
    plain.on('error', close).on('close', close);
    secure.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use((server.address() as AddressInfo).port);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
