import type { Store } from '../../../auth-server/src/store/store';
import { calls, DATABASE, NOW, openPg, postgresForFile, userFields, waitFor } from '../../support/pg-store-fixture';

const db = postgresForFile();

describe('PostgreSQL store across replicas (two stores, two pools, one database)', () => {
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    [a, b] = await Promise.all([openPg(db.url), openPg(db.url)]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('applies the schema once when replicas start together on an empty database', async () => {
    const empty = await db.postgres.createDatabase('empty');
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPg(empty, 2)));
    await Promise.all(stores.map((store) => store.close()));
    expect(await db.postgres.query('SELECT version FROM schema_migrations ORDER BY version', [], 'empty')).toEqual([{ version: 1 }, { version: 2 }]);
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
    expect(await db.postgres.query("SELECT jti FROM issued_tokens WHERE jti LIKE 'refresh-2-%'", [], DATABASE)).toHaveLength(1);
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
      await waitFor(async () => (await db.revocationListeners()) === 1);

      let next = changes.next();
      await b.tokens.revokeFamily('fam-1', NOW, NOW + 60);
      await next;
      next = changes.next();
      await b.shareLinks.revoke('link-1', NOW);
      await next;

      // Cut: the watcher reports it, reconnects and calls onChange once to catch up on what it missed.
      next = changes.next();
      await db.postgres.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pacsgate-revocations'", [DATABASE]);
      await next;
      expect(errors.length).toBeGreaterThanOrEqual(1);
      next = changes.next();
      await b.tokens.revokeFamily('fam-2', NOW, NOW + 60);
      await next;
      expect((await a.tokens.revocationsSince(0, NOW)).map((row) => row.familyId)).toEqual(['fam-1', 'link-1', 'fam-2']);
    } finally {
      stop();
    }
    await waitFor(async () => (await db.revocationListeners()) === 0);
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
