import { existsSync, mkdirSync } from 'node:fs';
import { loadOrCreateKeyring } from '../auth-server/src/keys/keyring';
import { readOrCreateSecret } from '../auth-server/src/secrets/secret-file';
import { writeDockerConfigs } from './docker-configs';
import { GateSettings } from './gate-settings';
import { configLayout } from '../auth-server/src/config-files';
import { writeLocalConfigs } from './local-configs';
import { Prompter } from './prompt';
import { setAdminPassword, setCertificate } from './steps';

export interface SetupOptions {
  settings: GateSettings;
  yes: boolean;
  force: boolean;
  /** PACSGATE_ADMIN_PASSWORD */
  adminPassword?: string;
  cert?: string;
  key?: string;
  prompter: Prompter;
  log: (line: string) => void;
}

export interface SetupResult {
  /** Set only when setup made the password up (`--yes` without PACSGATE_ADMIN_PASSWORD): show it once. */
  generatedAdminPassword?: string;
}

/**
 * Fills PACSGATE_CONFIG_DIR: secrets the operator chooses (admin password, certificate) are
 * replaced only with --force or a yes; the others are made when missing and then kept.
 */
export async function runSetup(options: SetupOptions): Promise<SetupResult> {
  const { settings, log } = options;
  const layout = configLayout(settings.configDir);
  mkdirSync(layout.configDir, { recursive: true, mode: 0o700 });
  const policy = { yes: options.yes, force: options.force, prompter: options.prompter };
  const generatedAdminPassword = await setAdminPassword(layout.adminPasswordHash, {
    ...policy,
    given: options.adminPassword,
    bcryptCost: settings.bcryptCost,
    log,
  });
  readOrCreateSecret(layout.sessionSecret);
  loadOrCreateKeyring(layout.signingKeys);
  await setCertificate(layout, { ...policy, cert: options.cert, key: options.key, publicUrl: settings.publicUrl, log });
  writeLocalConfigs(layout, settings, { accessLog: true });
  writeDockerConfigs(layout, settings);
  log(`Configuration is in ${layout.configDir}.`);
  return { generatedAdminPassword };
}

/** Whether the config dir has what the stack needs to start; otherwise the stack runs setup first. */
export function isSetUp(configDir: string): boolean {
  const layout = configLayout(configDir);
  return [layout.adminPasswordHash, layout.tlsCert, layout.tlsKey].every((path) => existsSync(path));
}
