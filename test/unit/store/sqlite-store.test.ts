import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreMisuse } from '../../../auth-server/src/store/one-connection-lock';
import { openSqliteStore } from '../../../auth-server/src/store/sqlite-store';
import type { Repositories, Store, UserFields } from '../../../auth-server/src/store/store';
import { describeStoreContract } from '../../support/store-contract';

describeStoreContract('SQLite (in memory)', async () => {
  const store = openSqliteStore(':memory:');
  return { store, cleanup: () => store.close() };
});

const fields = (username: string, name = username): UserFields => ({ username, name, passwordHash: null, canEditResource: false, oidcIssuer: null, oidcSubject: null });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SQLite store on disk', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pacsgate-store-'));
    path = join(dir, 'pacsgate.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the database file readable by its owner only', async () => {
    await openSqliteStore(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('reopens an existing database with its data (migrations run once)', async () => {
    const first = openSqliteStore(path);
    const user = await first.users.upsert(fields('kept', 'Kept'), 1);
    await first.close();
    const second = openSqliteStore(path);
    expect((await second.users.findById(user.id))?.username).toBe('kept');
    await second.close();
  });

  it('spends a token once across two connections (two processes)', async () => {
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    const user = await a.users.upsert(fields('shared', 'Shared'), 1);
    await a.tokens.recordIssued({ jti: 'shared-jti', kind: 'auth', userId: user.id, familyId: null, expiresAt: 100 }, 1);
    const outcomes = [await b.tokens.spend('shared-jti', 'auth', 2), await a.tokens.spend('shared-jti', 'auth', 2)];
    expect(outcomes).toEqual(['spent', 'reused']);
    await a.close();
    await b.close();
  });
});

describe('SQLite store: one connection shared by async callers', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore(':memory:');
  });
  afterEach(() => store.close());

  it('runs transactions one after another: concurrent read-then-write transactions lose no update', async () => {
    const user = await store.users.upsert(fields('counter', 'n'), 1);
    await Promise.all(Array.from({ length: 5 }, () => store.transaction(async (tx) => {
      const current = (await tx.users.findById(user.id))!;
      await pause(5);
      await tx.users.upsert({ ...fields('counter'), name: `${current.name}+` }, 1);
    })));
    expect((await store.users.findById(user.id))?.name).toBe('n+++++');
  });

  it("fails fast, and rolls back, when work calls the store's own repositories instead of its own", async () => {
    await expect(store.transaction(async () => {
      await store.users.upsert(fields('deadlock'), 1);
    })).rejects.toThrow(StoreMisuse);
    await expect(store.transaction(async () => store.transaction(async () => undefined))).rejects.toThrow(/use the repositories `transaction` gives/);
    expect(await store.users.findByUsername('deadlock')).toBeUndefined();
  });

  it('refuses a transaction\'s repositories once it has ended', async () => {
    let kept: Repositories | undefined;
    await store.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.users.upsert(fields('late'), 1)).rejects.toThrow('transaction repositories used after the transaction ended');
    expect(await store.users.findByUsername('late')).toBeUndefined();
  });

  it('answers again after a failed transaction, and writes outside transactions at once', async () => {
    await expect(store.transaction(async (tx) => {
      await tx.users.upsert(fields('rolled-back'), 1);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    await store.users.upsert(fields('after'), 1);
    expect((await store.users.list()).map((user) => user.username)).toEqual(['after']);
  });

  it('reports one connection: idle, or busy with callers waiting behind a transaction', async () => {
    expect(store.poolStats()).toEqual({ total: 1, idle: 1, waiting: 0 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const open = store.transaction(() => held);
    const waiting = [store.users.list(), store.users.list()];
    expect(store.poolStats()).toEqual({ total: 1, idle: 0, waiting: 2 });
    release();
    await open;
    await Promise.all(waiting);
    expect(store.poolStats()).toEqual({ total: 1, idle: 1, waiting: 0 });
  });

  it('answers ping, and watching revocations is a no-op (polling covers SQLite)', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    const onChange = jest.fn();
    const stop = store.watchRevocations(onChange, () => undefined);
    await store.users.upsert(fields('someone'), 1);
    stop();
    expect(onChange).not.toHaveBeenCalled();
  });
});
