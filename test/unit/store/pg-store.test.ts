import { Client } from 'pg';
import { openPgStore } from '../../../auth-server/src/store/pg-store';
import type { Store } from '../../../auth-server/src/store/store';
import { StoreError } from '../../../auth-server/src/store/store-error';
import { findFreePort } from '../../../scripts/stack/ports';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { describeStoreContract } from '../../support/store-contract';

// One real PostgreSQL 15 and one database for the file, emptied after each test (a CREATE DATABASE costs 10 times more).
const DATABASE = 'pacsgate_test';
let postgres: TestPostgres;
let url: string;
let shared: Store;
beforeAll(async () => {
  postgres = await startPostgres({ tls: true });
  url = await postgres.createDatabase(DATABASE);
  shared = await open(url);
});
// Tokens and families go with their users (ON DELETE CASCADE); DELETE beats TRUNCATE on tables this small.
afterEach(() => postgres.query('DELETE FROM users; DELETE FROM share_links; DELETE FROM revocations', [], DATABASE));
afterAll(async () => {
  await shared.close();
  await postgres.destroy();
});

const open = (databaseUrl: string, poolSize = 10) => openPgStore({ url: databaseUrl, poolSize });

describeStoreContract('PostgreSQL', () => Promise.resolve({ store: shared, cleanup: () => Promise.resolve() }));

const NOW = 1_800_000_000;
const userFields = (username: string) => ({ username, name: username, passwordHash: null, canEditResource: false, oidcIssuer: null, oidcSubject: null });

/** Resolves on the next call of the returned callback; a test waits on it instead of sleeping. */
function calls() {
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

describe('PostgreSQL store across replicas (two stores, two pools, one database)', () => {
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    [a, b] = await Promise.all([open(url), open(url)]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('applies the schema once when replicas start together on an empty database', async () => {
    const empty = await postgres.createDatabase('empty');
    const stores = await Promise.all(Array.from({ length: 4 }, () => open(empty, 2)));
    await Promise.all(stores.map((store) => store.close()));
    expect(await postgres.query('SELECT version FROM schema_migrations ORDER BY version', [], 'empty')).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('spends an auth token once when 20 attempts race over both replicas', async () => {
    const user = await a.users.upsert(userFields('raced'), NOW);
    await a.tokens.recordIssued({ jti: 'raced-jti', kind: 'auth', userId: user.id, familyId: null, expiresAt: NOW + 60 }, NOW);
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).tokens.spend('raced-jti', 'auth', NOW)));
    expect(outcomes.filter((outcome) => outcome === 'spent')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'reused')).toHaveLength(19);
  });

  it('rotates a refresh token once across replicas, and sees its reuse on the other one', async () => {
    const user = await a.users.upsert(userFields('refresher'), NOW);
    await a.tokens.createFamily({ id: 'fam-r', userId: user.id, audience: null, expiresAt: NOW + 600 }, NOW);
    await a.tokens.recordIssued({ jti: 'refresh-1', kind: 'refresh', userId: user.id, familyId: 'fam-r', expiresAt: NOW + 600 }, NOW);
    // As refreshTokenPair does: spend the old token and record its successor in one transaction.
    const rotate = (store: Store, successor: string) =>
      store.transaction(async (tx) => {
        const outcome = await tx.tokens.spend('refresh-1', 'refresh', NOW);
        if (outcome === 'spent') await tx.tokens.recordIssued({ jti: successor, kind: 'refresh', userId: user.id, familyId: 'fam-r', expiresAt: NOW + 600 }, NOW);
        return outcome;
      });
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => rotate(i % 2 ? a : b, `refresh-2-${i}`)));
    expect(outcomes.filter((outcome) => outcome === 'spent')).toHaveLength(1);
    expect(await postgres.query("SELECT jti FROM issued_tokens WHERE jti LIKE 'refresh-2-%'", [], DATABASE)).toHaveLength(1);
    expect(await a.tokens.spend('refresh-1', 'refresh', NOW + 1)).toBe('reused');
    expect(await b.tokens.spend('refresh-1', 'refresh', NOW + 1)).toBe('reused');
  });

  it('counts wrong PINs racing over both replicas and locks at the limit', async () => {
    await a.shareLinks.create({ id: 'pinned', label: null, studies: ['1.2'], canEditResource: false, pinHash: '$2b$04$hash', createdBy: 'admin', expiresAt: NOW + 60 }, NOW);
    const failures = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).shareLinks.recordPinFailure('pinned', 5)));
    expect(failures.map((failure) => failure.failedPins).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(failures.every((failure) => failure.locked === failure.failedPins >= 5)).toBe(true);
  });

  it('tells a watching replica of revocations made on the other, also after its connection was cut', async () => {
    const changes = calls();
    const errors: unknown[] = [];
    const stop = a.watchRevocations(changes.callback, (error) => errors.push(error));
    try {
      const user = await b.users.upsert(userFields('watched'), NOW);
      for (const id of ['fam-1', 'fam-2']) await b.tokens.createFamily({ id, userId: user.id, audience: null, expiresAt: NOW + 60 }, NOW);
      await b.shareLinks.create({ id: 'link-1', label: null, studies: ['1.2'], canEditResource: false, pinHash: null, createdBy: 'admin', expiresAt: NOW + 60 }, NOW);
      // The LISTEN is in place once its connection shows up.
      await waitFor(async () => (await listeners(DATABASE)) === 1);

      let next = changes.next();
      await b.tokens.revokeFamily('fam-1', NOW, NOW + 60);
      await next;
      next = changes.next();
      await b.shareLinks.revoke('link-1', NOW);
      await next;

      // Cut: the watcher reports it, reconnects and calls onChange once to catch up on what it missed.
      next = changes.next();
      await postgres.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pacsgate-revocations'", [DATABASE]);
      await next;
      expect(errors.length).toBeGreaterThanOrEqual(1);
      next = changes.next();
      await b.tokens.revokeFamily('fam-2', NOW, NOW + 60);
      await next;
      expect((await a.tokens.revocationsSince(0, NOW)).map((row) => row.familyId)).toEqual(['fam-1', 'link-1', 'fam-2']);
    } finally {
      stop();
    }
    await waitFor(async () => (await listeners(DATABASE)) === 0);
  });

  it('runs a transaction on a client of its own: its writes are seen elsewhere only once committed', async () => {
    let entered!: () => void;
    let release!: () => void;
    const opened = new Promise<void>((resolve) => (entered = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    const work = a.transaction(async (tx) => {
      await tx.users.upsert(userFields('pending'), NOW);
      entered();
      await held;
    });
    await opened;
    expect(await a.users.findByUsername('pending')).toBeUndefined();
    expect(await b.users.findByUsername('pending')).toBeUndefined();
    release();
    await work;
    expect(await b.users.findByUsername('pending')).toMatchObject({ username: 'pending' });
  });

});

describe('PostgreSQL store on its own', () => {
  it('keeps times past 2038 and study lists in order', async () => {
    const store = await open(url);
    const user = await store.users.upsert(userFields('far'), NOW);
    await store.tokens.recordIssued({ jti: 'far-future', kind: 'auth', userId: user.id, familyId: null, expiresAt: 4_000_000_000 }, NOW);
    await store.shareLinks.create({ id: 'ordered', label: null, studies: ['9.9', '1.1', '5.5'], canEditResource: false, pinHash: null, createdBy: 'admin', expiresAt: 4_000_000_000 }, NOW);
    expect((await store.tokens.find('far-future'))?.expiresAt).toBe(4_000_000_000);
    expect(await store.shareLinks.find('ordered')).toMatchObject({ studies: ['9.9', '1.1', '5.5'], expiresAt: 4_000_000_000 });
    await store.close();
  });

  it('reports its pool: in use, idle and waiting connections', async () => {
    const store = await open(url, 1);
    let entered!: () => void;
    let release!: () => void;
    const opened = new Promise<void>((resolve) => (entered = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    const work = store.transaction(async () => {
      entered();
      await held;
    });
    await opened;
    const queued = store.ping();
    expect(store.poolStats()).toEqual({ total: 1, idle: 0, waiting: 1 });
    release();
    await Promise.all([work, queued]);
    expect(store.poolStats()).toEqual({ total: 1, idle: 1, waiting: 0 });
    await store.close();
  });

  it('fails its ping, rather than hang, when PostgreSQL does not answer', async () => {
    const store = await open(url, 1);
    await store.ping();
    postgres.pause();
    try {
      await expect(store.ping()).rejects.toThrow(/^PostgreSQL database pacsgate_test on 127\.0\.0\.1:\d+ did not answer within 2000 ms$/);
    } finally {
      postgres.resume();
    }
    await store.ping();
    await store.close();
  });

  it('ends its revocation watchers when closed', async () => {
    const store = await open(url, 1);
    store.watchRevocations(() => undefined, () => undefined);
    await waitFor(async () => (await listeners(DATABASE)) === 1);
    await store.close();
    await waitFor(async () => (await listeners(DATABASE)) === 0);
  });

  it('fails its ping while PostgreSQL is down and answers again, with no restart of its own, once it is back', async () => {
    const store = await open(url);
    const changes = calls();
    const errors: unknown[] = [];
    const stopWatching = store.watchRevocations(changes.callback, (error) => errors.push(error));
    await waitFor(async () => (await listeners(DATABASE)) === 1);
    await store.ping();
    const caughtUp = changes.next();
    await postgres.stop();
    try {
      await expect(store.ping()).rejects.toThrow();
    } finally {
      await postgres.start();
    }
    await store.ping();
    expect(await store.users.list()).toEqual([]);
    // The watcher kept retrying while the server was down, and catches up once it is back.
    await caughtUp;
    expect(errors.length).toBeGreaterThanOrEqual(1);
    stopWatching();
    await store.close();
  });

  it('starts as a database user who may read and write but not create tables, once the schema is there', async () => {
    await postgres.query(`CREATE ROLE app_only LOGIN PASSWORD 'app-only-pw';
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_only;
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app_only`, [], DATABASE);
    const appUrl = new URL(url);
    appUrl.username = 'app_only';
    appUrl.password = 'app-only-pw';
    const client = new Client({ connectionString: appUrl.toString() });
    await client.connect();
    await expect(client.query('CREATE TABLE probe (n int)')).rejects.toThrow(/permission denied for schema public/);
    await client.end();
    const store = await open(appUrl.toString(), 1);
    expect(await store.users.upsert(userFields('least-privilege'), NOW)).toMatchObject({ username: 'least-privilege' });
    await store.close();
  });

  it('speaks TLS when the URL asks for it, checking the server against sslrootcert, and plain TCP otherwise', async () => {
    const secure = await open(`${url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(postgres.certificateFile ?? '')}`, 1);
    await secure.ping();
    const connections = await postgres.query<{ ssl: boolean }>(
      "SELECT ssl FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE datname = $1 AND application_name = 'pacsgate' ORDER BY ssl", [DATABASE],
    );
    await secure.close();
    // The file's shared store (no sslmode) in plain TCP, the one just opened in TLS.
    expect(connections.map((row) => row.ssl)).toEqual([...connections.slice(1).map(() => false), true]);
    const unchecked = await open(`${url}?sslmode=verify-full`).then(() => undefined, (error: unknown) => error);
    expect(unchecked).toBeInstanceOf(StoreError);
    expect((unchecked as Error).message).toMatch(/self-signed certificate/);
  });

  describe('a database it cannot use at start: a StoreError naming server and database, never the password', () => {
    const password = 'S3cret-Pa55word';
    it.each([
      ['nothing listens on the port', async () => `postgres://pacsgate:${password}@127.0.0.1:${await findFreePort()}/pacsgate`, /on 127\.0\.0\.1:\d+: .*ECONNREFUSED/],
      ['the password is wrong', async () => `postgres://pacsgate:${password}@127.0.0.1:${postgres.port}/postgres`, /password authentication failed/],
      ['the database does not exist', async () => postgres.urlOf('no_such_database'), /database "no_such_database" does not exist/],
      ['a wrong password holds a stray %', async () => `postgres://pacsgate:${password}%zz@127.0.0.1:${postgres.port}/postgres`, /password authentication failed/],
    ])('%s', async (_why, makeUrl, reason) => {
      const url = await makeUrl();
      const failure = await open(url).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreError);
      const message = (failure as Error).message;
      expect(message).toMatch(/^PostgreSQL database \S+ on 127\.0\.0\.1:\d+: /);
      expect(message).toMatch(reason);
      expect(message).not.toContain(new URL(url).password);
    });
  });
});

/** How many connections of `db` are LISTENing for revocations. */
async function listeners(db: string): Promise<number> {
  const rows = await postgres.query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pacsgate-revocations' AND query LIKE 'LISTEN%'", [db]);
  return rows.length;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
