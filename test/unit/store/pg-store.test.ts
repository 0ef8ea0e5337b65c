import { Client } from 'pg';
import { StoreError } from '../../../auth-server/src/store/store-error';
import { findFreePort } from '../../../scripts/stack/ports';
import { calls, DATABASE, NOW, openPg, postgresForFile, userFields, waitFor } from '../../support/pg-store-fixture';
import { describeStoreContract } from '../../support/store-contract';

const db = postgresForFile({ tls: true });

describeStoreContract('PostgreSQL', () => Promise.resolve({ store: db.shared, cleanup: () => Promise.resolve() }));

describe('PostgreSQL store on its own', () => {
  it('keeps times past 2038 and study lists in order', async () => {
    const store = await openPg(db.url);
    const user = await store.users.upsert(userFields('far'), NOW);
    await store.tokens.recordIssued({ jti: 'far-future', kind: 'auth', userId: user.id, familyId: null, expiresAt: 4_000_000_000 }, NOW);
    await store.shareLinks.create({ id: 'ordered', label: null, studies: ['9.9', '1.1', '5.5'], canEditResource: false, pinHash: null, createdBy: 'admin', expiresAt: 4_000_000_000 }, NOW);
    expect((await store.tokens.find('far-future'))?.expiresAt).toBe(4_000_000_000);
    expect(await store.shareLinks.find('ordered')).toMatchObject({ studies: ['9.9', '1.1', '5.5'], expiresAt: 4_000_000_000 });
    await store.close();
  });

  it('reports its pool: in use, idle and waiting connections', async () => {
    const store = await openPg(db.url, 1);
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
    const store = await openPg(db.url, 1);
    await store.ping();
    db.postgres.pause();
    try {
      await expect(store.ping()).rejects.toThrow(/^PostgreSQL database pacsgate_test on 127\.0\.0\.1:\d+ did not answer within 2000 ms$/);
    } finally {
      db.postgres.resume();
    }
    await store.ping();
    await store.close();
  });

  it('ends its revocation watchers when closed', async () => {
    const store = await openPg(db.url, 1);
    store.watchRevocations(() => undefined, () => undefined);
    await waitFor(async () => (await db.revocationListeners()) === 1);
    await store.close();
    await waitFor(async () => (await db.revocationListeners()) === 0);
  });

  it('fails its ping while PostgreSQL is down and answers again, with no restart of its own, once it is back', async () => {
    const store = await openPg(db.url);
    const changes = calls();
    const errors: unknown[] = [];
    const stopWatching = store.watchRevocations(changes.callback, (error) => errors.push(error));
    await waitFor(async () => (await db.revocationListeners()) === 1);
    await store.ping();
    const caughtUp = changes.next();
    await db.postgres.stop();
    try {
      await expect(store.ping()).rejects.toThrow();
    } finally {
      await db.postgres.start();
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
    await db.postgres.query(`CREATE ROLE app_only LOGIN PASSWORD 'app-only-pw';
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_only;
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app_only`, [], DATABASE);
    const appUrl = new URL(db.url);
    appUrl.username = 'app_only';
    appUrl.password = 'app-only-pw';
    const client = new Client({ connectionString: appUrl.toString() });
    await client.connect();
    await expect(client.query('CREATE TABLE probe (n int)')).rejects.toThrow(/permission denied for schema public/);
    await client.end();
    const store = await openPg(appUrl.toString(), 1);
    expect(await store.users.upsert(userFields('least-privilege'), NOW)).toMatchObject({ username: 'least-privilege' });
    await store.close();
  });

  it('speaks TLS when the URL asks for it, checking the server against sslrootcert, and plain TCP otherwise', async () => {
    const secure = await openPg(`${db.url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(db.postgres.certificateFile ?? '')}`, 1);
    await secure.ping();
    const connections = await db.postgres.query<{ ssl: boolean }>(
      "SELECT ssl FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE datname = $1 AND application_name = 'pacsgate' ORDER BY ssl", [DATABASE],
    );
    await secure.close();
    // The file's shared store (no sslmode) in plain TCP, the one just opened in TLS.
    expect(connections.map((row) => row.ssl)).toEqual([...connections.slice(1).map(() => false), true]);
    const unchecked = await openPg(`${db.url}?sslmode=verify-full`).then(() => undefined, (error: unknown) => error);
    expect(unchecked).toBeInstanceOf(StoreError);
    expect((unchecked as Error).message).toMatch(/self-signed certificate/);
  });

  describe('a database it cannot use at start: a StoreError naming server and database, never the password', () => {
    const password = 'S3cret-Pa55word';
    it.each([
      ['nothing listens on the port', async () => `postgres://pacsgate:${password}@127.0.0.1:${await findFreePort()}/pacsgate`, /on 127\.0\.0\.1:\d+: .*ECONNREFUSED/],
      ['the password is wrong', async () => `postgres://pacsgate:${password}@127.0.0.1:${db.postgres.port}/postgres`, /password authentication failed/],
      ['the database does not exist', async () => db.postgres.urlOf('no_such_database'), /database "no_such_database" does not exist/],
      ['a wrong password holds a stray %', async () => `postgres://pacsgate:${password}%zz@127.0.0.1:${db.postgres.port}/postgres`, /password authentication failed/],
    ])('%s', async (_why, makeUrl, reason) => {
      const url = await makeUrl();
      const failure = await openPg(url).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreError);
      const message = (failure as Error).message;
      expect(message).toMatch(/^PostgreSQL database \S+ on 127\.0\.0\.1:\d+: /);
      expect(message).toMatch(reason);
      expect(message).not.toContain(new URL(url).password);
    });
  });
});
