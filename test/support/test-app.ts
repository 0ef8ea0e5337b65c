import bcrypt from 'bcrypt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../auth-server/src/config';
import { createApp, type PacsgateApp } from '../../auth-server/src/http/app';
import { epochSeconds } from '../../auth-server/src/clock';
import type { Keyring } from '../../auth-server/src/keys/keyring';
import { openKeyring } from '../../auth-server/src/keys/rotation';
import { createLogger, type Logger } from '../../auth-server/src/logger';
import { openSqliteStore } from '../../auth-server/src/store/sqlite-store';
import type { Store } from '../../auth-server/src/store/store';
import { CapturingAuditLog } from './capturing-audit';
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
  /** Every audit event the app recorded, kept across restarts. */
  audit: CapturingAuditLog;
  dir: string;
  /** Builds a second app on the same config dir, as after a restart. */
  restart(): TestApp;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Where the app logs; silent by default. */
  logger?: Logger;
  audit?: CapturingAuditLog;
}

function build(dir: string, env: Record<string, string>, clock: FakeClock, options: TestAppOptions): TestApp {
  const config = loadConfig({
    PACSGATE_CONFIG_DIR: dir,
    PACSGATE_PUBLIC_URL: 'https://pacs.example.org',
    PACSGATE_ALLOWED_ORIGINS: `${VIEWER_ORIGIN},https://*.clinic.example`,
    PACSGATE_ADMIN_PASSWORD_HASH: ADMIN_HASH,
    PACSGATE_BCRYPT_COST: '4',
    // High enough that only the rate-limit tests, which set their own, ever meet a limit.
    PACSGATE_ADMIN_ATTEMPTS: '1000',
    PACSGATE_SIGN_IN_ATTEMPTS: '1000',
    PACSGATE_LOG_LEVEL: 'error',
    ...env,
  });
  // As main.ts starts: retired keys past their time are dropped first.
  const { keyring } = openKeyring(dir, config.ttl, epochSeconds(clock));
  const store = openSqliteStore(join(dir, 'pacsgate.sqlite'));
  const audit = options.audit ?? new CapturingAuditLog();
  const app = createApp({ config, store, keyring, clock, logger: options.logger ?? createLogger('silent'), audit });
  return {
    app, config, store, keyring, clock, audit, dir,
    restart: () => build(dir, env, clock, { ...options, audit }),
    close: () => store.close(),
  };
}

/** A real app on a temp config dir (SQLite file, generated key) with a fake clock. */
export function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): TestApp & { cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-test-'));
  const testApp = build(dir, env, new FakeClock(), options);
  return {
    ...testApp,
    cleanup: async () => {
      await testApp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test app for the enclosing `describe`, cleaned up after its tests. */
export function useTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): TestApp {
  const testApp = createTestApp(env, options);
  afterAll(() => testApp.cleanup());
  return testApp;
}
