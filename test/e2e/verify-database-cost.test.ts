import { STATS_PUBLISHED_WITHIN_MS, transactionsIn } from '../../bench/database-transactions';
import { type ChildServer, configDirPerSuite } from '../support/built-server';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { accessTokenFrom, authTokenFrom, verifyAt } from '../support/replica-http';
import { ADMIN_PASSWORD } from '../support/test-app';

// /verify on a PostgreSQL-backed server is a signature check and a lookup in the revocation list it
// holds in memory: its database's transaction count (pg_stat_database, this database only) does not
// grow with the requests, only with the server's revocation poll.
const VERIFIES = 2000;
const IN_PARALLEL = 20;
const ISSUED = 10;

const suite = configDirPerSuite();
let postgres: TestPostgres;
let database: string;
let server: ChildServer;

beforeAll(async () => {
  postgres = await startPostgres();
  const url = await postgres.createDatabase();
  database = decodeURIComponent(new URL(url).pathname.slice(1));
  server = await suite.start({ PACSGATE_DATABASE_URL: url });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await postgres?.destroy();
});

/** The count once the server's backends have published theirs. */
async function settledTransactions(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, STATS_PUBLISHED_WITHIN_MS));
  return transactionsIn(postgres, database);
}

it(`answers ${VERIFIES} /verify requests with far fewer than ${VERIFIES} database transactions`, async () => {
  const token = await accessTokenFrom(server.url, 'verify-cost-reader', ADMIN_PASSWORD);
  const before = await settledTransactions();
  const startedAt = Date.now();
  const statuses: number[] = [];
  for (let sent = 0; sent < VERIFIES; sent += IN_PARALLEL) {
    statuses.push(...(await Promise.all(Array.from({ length: IN_PARALLEL }, () => verifyAt(server.url, token)))));
  }
  const transactions = (await settledTransactions()) - before;
  const seconds = (Date.now() - startedAt) / 1000;
  expect(statuses.filter((status) => status === 204)).toHaveLength(VERIFIES);
  process.stdout.write(`${VERIFIES} verifies on PostgreSQL: ${transactions} transactions in ${seconds.toFixed(1)} s (${(transactions / seconds).toFixed(1)}/s, the revocation poll)\n`);
  expect(transactions).toBeLessThan(VERIFIES / 20);
});

it('sees the transactions of requests that do use the database (the count is of this server’s database)', async () => {
  const before = await settledTransactions();
  for (let issued = 0; issued < ISSUED; issued += 1) await authTokenFrom(server.url, `verify-cost-issued-${issued}`, ADMIN_PASSWORD);
  expect((await settledTransactions()) - before).toBeGreaterThanOrEqual(ISSUED);
});
