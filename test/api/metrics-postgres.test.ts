import bcrypt from 'bcrypt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { epochSeconds } from '../../auth-server/src/clock';
import { loadConfig } from '../../auth-server/src/config';
import { createApp, type PacsgateApp } from '../../auth-server/src/http/app';
import { openKeyring } from '../../auth-server/src/keys/rotation';
import { createLogger } from '../../auth-server/src/logger';
import { openStore } from '../../auth-server/src/store/open-store';
import type { Store } from '../../auth-server/src/store/store';
import { CapturingAuditLog } from '../support/capturing-audit';
import { FakeClock } from '../support/fake-clock';
import { parseMetricsText, samplesOf, seriesKey } from '../support/metrics-text';
import { startPostgres, type TestPostgres } from '../support/postgres';

const POOL_SIZE = 3;
let postgres: TestPostgres;
let dir: string;
let store: Store;
let app: PacsgateApp;

beforeAll(async () => {
  postgres = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'pacsgate-metrics-pg-'));
  const config = loadConfig({
    PACSGATE_CONFIG_DIR: dir,
    PACSGATE_ADMIN_PASSWORD_HASH: bcrypt.hashSync('unused', 4),
    PACSGATE_DATABASE_URL: await postgres.createDatabase(),
    PACSGATE_DATABASE_POOL_SIZE: String(POOL_SIZE),
  });
  const clock = new FakeClock();
  store = await openStore(config);
  app = createApp({ config, store, keyring: openKeyring(dir, config.ttl, epochSeconds(clock)).keyring, clock, logger: createLogger('silent'), audit: new CapturingAuditLog() });
  await app.ready;
}, 60_000);

afterAll(async () => {
  await store?.close();
  await postgres?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const pool = async () => samplesOf(parseMetricsText(await app.metrics.registry.metrics()), 'pacsgate_db_pool_');
const expectPool = async (inUse: number, idle: number, waiting: number) =>
  expect(await pool()).toEqual({
    [seriesKey('pacsgate_db_pool_connections', { state: 'in_use' })]: inUse,
    [seriesKey('pacsgate_db_pool_connections', { state: 'idle' })]: idle,
    [seriesKey('pacsgate_db_pool_waiting_requests')]: waiting,
  });

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

it('reports the PostgreSQL pool: connections in use, idle, and queries waiting for one', async () => {
  // Every connection held by an open transaction, and one more query queued behind them.
  const released = signal();
  const begun = Array.from({ length: POOL_SIZE }, signal);
  const holding = begun.map((transactionBegun) =>
    store.transaction(async () => {
      transactionBegun.resolve();
      await released.promise;
    }),
  );
  await Promise.all(begun.map((transactionBegun) => transactionBegun.promise));
  const queued = store.users.list();
  await expectPool(POOL_SIZE, 0, 1);

  released.resolve();
  await Promise.all([...holding, queued]);
  await expectPool(0, POOL_SIZE, 0);
});
