import type { Store } from '../../auth-server/src/store/store';
import { openPgStore } from '../../auth-server/src/store/pg-store';
import { startPostgres, type TestPostgres } from './postgres';

export const NOW = 1_800_000_000;
export const DATABASE = 'pacsgate_test';

export const userFields = (username: string) => ({ username, name: username, passwordHash: null, canEditResource: false, oidcIssuer: null, oidcSubject: null });

export const openPg = (databaseUrl: string, poolSize = 10): Promise<Store> => openPgStore({ url: databaseUrl, poolSize });

export interface PostgresForFile {
  readonly postgres: TestPostgres;
  /** The file's database. */
  readonly url: string;
  /** A store open on it for the whole file. */
  readonly shared: Store;
  /** How many connections of the file's database are LISTENing for revocations. */
  revocationListeners(): Promise<number>;
}

/**
 * One real PostgreSQL 15 and one database for a test file, emptied after each test (a CREATE
 * DATABASE costs 10 times more). Registers the file's hooks; read the fields inside tests.
 */
export function postgresForFile(options: { tls?: boolean } = {}): PostgresForFile {
  let postgres: TestPostgres | undefined;
  let url: string | undefined;
  let shared: Store | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('PostgreSQL is not started yet: read the fixture inside a test or hook');
    return value;
  };
  beforeAll(async () => {
    postgres = await startPostgres(options);
    url = await postgres.createDatabase(DATABASE);
    shared = await openPg(url);
  });
  // Tokens and families go with their users (ON DELETE CASCADE); DELETE beats TRUNCATE on tables this small.
  afterEach(() => ready(postgres).query('DELETE FROM users; DELETE FROM share_links; DELETE FROM revocations', [], DATABASE));
  afterAll(async () => {
    await shared?.close();
    await postgres?.destroy();
  });
  return {
    get postgres() {
      return ready(postgres);
    },
    get url() {
      return ready(url);
    },
    get shared() {
      return ready(shared);
    },
    revocationListeners: async () =>
      (await ready(postgres).query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pacsgate-revocations' AND query LIKE 'LISTEN%'", [DATABASE]))
        .length,
  };
}

/** Resolves on the next call of the returned callback; a test waits on it instead of sleeping. */
export function calls() {
  const waiting: Array<() => void> = [];
  let count = 0;
  return {
    callback: () => {
      count++;
      waiting.splice(0).forEach((resolve) => resolve());
    },
    next: () => new Promise<void>((resolve) => waiting.push(resolve)),
    get count() {
      return count;
    },
  };
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
