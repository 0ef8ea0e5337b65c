import bcrypt from 'bcrypt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../auth-server/src/config';
import { createApp, type PacsgateApp } from '../../auth-server/src/http/app';
import { type Keyring, loadOrCreateKeyring } from '../../auth-server/src/keys/keyring';
import { createLogger } from '../../auth-server/src/logger';
import { openSqliteStore } from '../../auth-server/src/store/sqlite-store';
import type { Store } from '../../auth-server/src/store/store';
import { FakeClock } from './fake-clock';

export const ADMIN_PASSWORD = 'correct horse battery staple';
export const VIEWER_ORIGIN = 'https://viewer.example.org';
const ADMIN_HASH = bcrypt.hashSync(ADMIN_PASSWORD, 4);

export interface TestApp {
  app: PacsgateApp;
  config: Config;
  store: Store;
  keyring: Keyring;
  clock: FakeClock;
  dir: string;
  /** Builds a second app on the same config dir, as after a restart. */
  restart(): TestApp;
  close(): void;
}

function build(dir: string, env: Record<string, string>, clock: FakeClock): TestApp {
  const config = loadConfig({
    PACSGATE_CONFIG_DIR: dir,
    PACSGATE_PUBLIC_URL: 'https://pacs.example.org',
    PACSGATE_ALLOWED_ORIGINS: `${VIEWER_ORIGIN},https://*.clinic.example`,
    PACSGATE_ADMIN_PASSWORD_HASH: ADMIN_HASH,
    PACSGATE_BCRYPT_COST: '4',
    PACSGATE_LOG_LEVEL: 'error',
    ...env,
  });
  const keyring = loadOrCreateKeyring(join(dir, 'signing-keys'));
  const store = openSqliteStore(join(dir, 'pacsgate.sqlite'));
  const app = createApp({ config, store, keyring, clock, logger: createLogger('silent') });
  return {
    app, config, store, keyring, clock, dir,
    restart: () => build(dir, env, clock),
    close: () => store.close(),
  };
}

/** A real app on a temp config dir (SQLite file, generated key) with a fake clock. */
export function createTestApp(env: Record<string, string> = {}): TestApp & { cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-test-'));
  const testApp = build(dir, env, new FakeClock());
  return { ...testApp, cleanup: () => { testApp.close(); rmSync(dir, { recursive: true, force: true }); } };
}
