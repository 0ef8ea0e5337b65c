import type { NewShareLink, Store, UserFields } from '../../auth-server/src/store/store';

/** A fresh, empty store and how to close (and remove) it. */
export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/**
 * The behaviour every Store adapter must have. SQLite and PostgreSQL each call `describeStoreContract`
 * with their own `open` and must pass the same suite.
 */
export function describeStoreContract(adapter: string, open: OpenStore): void {
  describe(`${adapter} store contract`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ store, cleanup } = await open()));
    afterEach(() => cleanup());

    const NOW = 1_800_000_000;
    let names = 0;
    const fields = (overrides: Partial<UserFields> = {}): UserFields => ({
      username: `user${++names}`, name: 'Store User', passwordHash: null, canEditResource: false, oidcIssuer: null, oidcSubject: null, ...overrides,
    });
    const addUser = () => store.users.upsert(fields(), NOW);
    const userId = async () => (await addUser()).id;
    const issue = (kind: 'auth' | 'refresh', user: number, jti: string, expiresAt = NOW + 60, familyId: string | null = null) =>
      store.tokens.recordIssued({ jti, kind, userId: user, familyId, expiresAt }, NOW);
    const family = (id: string, user: number, expiresAt = NOW + 60) => store.tokens.createFamily({ id, userId: user, audience: null, expiresAt }, NOW);

    describe('users', () => {
      it('creates a user and finds it by id, username and OIDC identity', async () => {
        const user = await store.users.upsert(fields({ username: 'alice', canEditResource: true, oidcIssuer: 'https://id.example', oidcSubject: 'sub-1' }), NOW);
        expect(user).toMatchObject({ username: 'alice', canEditResource: true });
        expect(await store.users.findById(user.id)).toEqual(user);
        expect(await store.users.findByUsername('alice')).toEqual(user);
        expect(await store.users.findByOidcIdentity('https://id.example', 'sub-1')).toEqual(user);
        expect(await store.users.findByUsername('bob')).toBeUndefined();
      });

      it('replaces the fields of an existing username, keeping its id', async () => {
        const first = await store.users.upsert(fields({ username: 'carol', name: 'Carol', passwordHash: 'hash-1' }), NOW);
        const second = await store.users.upsert(fields({ username: 'carol', name: 'Carol B.', canEditResource: true, passwordHash: 'hash-2' }), NOW);
        expect(second).toMatchObject({ id: first.id, name: 'Carol B.', canEditResource: true, passwordHash: 'hash-2' });
        expect((await store.users.list()).filter((user) => user.username === 'carol')).toHaveLength(1);
      });

      it('creates a user only while its username and OIDC identity are free, never touching the holder', async () => {
        const holder = await store.users.upsert(fields({ username: 'dora', passwordHash: 'hash-d', oidcIssuer: 'https://id.example', oidcSubject: 'sub-d' }), NOW);
        expect(await store.users.createIfFree(fields({ username: 'dora', oidcIssuer: 'https://id.example', oidcSubject: 'other' }), NOW)).toBeUndefined();
        expect(await store.users.createIfFree(fields({ username: 'dora2', oidcIssuer: 'https://id.example', oidcSubject: 'sub-d' }), NOW)).toBeUndefined();
        expect(await store.users.findById(holder.id)).toEqual(holder);
        const created = await store.users.createIfFree(fields({ username: 'dora3', oidcIssuer: 'https://id.example', oidcSubject: 'sub-3' }), NOW);
        expect(created).toMatchObject({ username: 'dora3', oidcSubject: 'sub-3' });
        expect(await store.users.findByUsername('dora3')).toEqual(created);
      });

      it('gives one free username to exactly one of 10 identities racing for it', async () => {
        const racers = Array.from({ length: 10 }, (_, index) =>
          store.users.createIfFree(fields({ username: 'wanted', oidcIssuer: 'https://id.example', oidcSubject: `racer-${index}` }), NOW),
        );
        const created = (await Promise.all(racers)).filter((user) => user !== undefined);
        expect(created).toHaveLength(1);
        expect(await store.users.findByUsername('wanted')).toEqual(created[0]);
      });

      it('removes a user with their tokens', async () => {
        const user = await addUser();
        await issue('auth', user.id, 'removed-auth');
        await store.users.remove(user.id);
        expect(await store.users.findById(user.id)).toBeUndefined();
        expect(await store.tokens.find('removed-auth')).toBeUndefined();
      });
    });

    describe('spend', () => {
      it('spends an issued token exactly once, then reports reuse', async () => {
        await issue('auth', await userId(), 'once');
        expect(await store.tokens.spend('once', 'auth', NOW)).toBe('spent');
        expect(await store.tokens.spend('once', 'auth', NOW)).toBe('reused');
        expect((await store.tokens.find('once'))?.spentAt).toBe(NOW);
      });

      it('spends a token once when many callers try at the same time', async () => {
        await issue('auth', await userId(), 'raced');
        const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.tokens.spend('raced', 'auth', NOW)));
        expect(outcomes.filter((outcome) => outcome === 'spent')).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome === 'reused')).toHaveLength(19);
      });

      it('reports a revoked token as reused', async () => {
        await issue('auth', await userId(), 'revoked');
        await store.tokens.revokeIssued('revoked', NOW);
        expect(await store.tokens.spend('revoked', 'auth', NOW)).toBe('reused');
      });

      it.each([
        ['never issued', 'other', 'auth', NOW],
        ['of another kind', 'candidate', 'refresh', NOW],
        ['expired', 'candidate', 'auth', NOW + 60],
      ] as const)('does not spend a token %s', async (_why, jti, kind, now) => {
        await issue('auth', await userId(), 'candidate');
        expect(await store.tokens.spend(jti, kind, now)).toBe('unknown');
      });

      it('revokes only the unspent auth tokens of one user', async () => {
        const user = await userId();
        await issue('auth', user, 'unspent-1');
        await issue('auth', user, 'unspent-2');
        await issue('auth', user, 'spent');
        await store.tokens.spend('spent', 'auth', NOW);
        await issue('auth', await userId(), 'bystander');
        expect(await store.tokens.revokeUnspentAuthTokens(user, NOW)).toBe(2);
        expect(await store.tokens.spend('bystander', 'auth', NOW)).toBe('spent');
      });
    });

    describe('families and revocations', () => {
      it('extends a family only forward', async () => {
        await family('fam-extend', await userId(), NOW + 60);
        await store.tokens.extendFamily('fam-extend', NOW + 30);
        expect((await store.tokens.findFamily('fam-extend'))?.expiresAt).toBe(NOW + 60);
        await store.tokens.extendFamily('fam-extend', NOW + 90);
        expect((await store.tokens.findFamily('fam-extend'))?.expiresAt).toBe(NOW + 90);
      });

      it('lists the live families of a user: not revoked, not expired', async () => {
        const user = await userId();
        await family('live', user);
        await family('expired', user, NOW);
        await family('revoked', user);
        await store.tokens.revokeFamily('revoked', NOW, NOW + 60);
        expect((await store.tokens.activeFamilies(user, NOW)).map((row) => row.id)).toEqual(['live']);
      });

      it('revokes a family once and records it in order for the revocation list', async () => {
        const user = await userId();
        await family('fam-a', user);
        await family('fam-b', user);
        expect(await store.tokens.revokeFamily('fam-a', NOW, NOW + 60)).toBe(true);
        expect(await store.tokens.revokeFamily('fam-a', NOW, NOW + 60)).toBe(false);
        expect(await store.tokens.revokeFamily('fam-b', NOW, NOW + 10)).toBe(true);
        const all = await store.tokens.revocationsSince(0, NOW);
        expect(all.map((row) => [row.familyId, row.keepUntil])).toEqual([['fam-a', NOW + 60], ['fam-b', NOW + 10]]);
        expect((await store.tokens.revocationsSince(all[0].seq, NOW)).map((row) => row.familyId)).toEqual(['fam-b']);
        expect((await store.tokens.revocationsSince(0, NOW + 10)).map((row) => row.familyId)).toEqual(['fam-a']);
        expect((await store.tokens.findFamily('fam-a'))?.revokedAt).toBe(NOW);
      });

      it('revokes a family once when many callers try at the same time', async () => {
        await family('fam-raced', await userId());
        const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.tokens.revokeFamily('fam-raced', NOW, NOW + 60)));
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        expect(await store.tokens.revocationsSince(0, NOW)).toHaveLength(1);
      });
    });

    describe('share links', () => {
      const link = (id: string, overrides: Partial<NewShareLink> = {}) =>
        store.shareLinks.create({ id, label: 'For Dr. Who', studies: ['1.2.3', '1.2.4'], canEditResource: false, pinHash: null, createdBy: 'admin', expiresAt: NOW + 60, ...overrides }, NOW);

      it('creates a link and finds it with every field', async () => {
        const created = await link('share-a', { canEditResource: true, pinHash: '$2b$04$hash' });
        expect(created).toEqual({
          id: 'share-a', label: 'For Dr. Who', studies: ['1.2.3', '1.2.4'], canEditResource: true, pinHash: '$2b$04$hash',
          failedPins: 0, locked: false, createdBy: 'admin', createdAt: NOW, expiresAt: NOW + 60, uses: 0, lastUsedAt: null, revokedAt: null,
        });
        expect(await store.shareLinks.find('share-a')).toEqual(created);
        expect(await store.shareLinks.find('share-unknown')).toBeUndefined();
      });

      it('lists links newest first', async () => {
        await link('older');
        await store.shareLinks.create({ id: 'newer', label: null, studies: ['9'], canEditResource: false, pinHash: null, createdBy: 'alice', expiresAt: NOW + 90 }, NOW + 1);
        expect((await store.shareLinks.list()).map((row) => row.id)).toEqual(['newer', 'older']);
      });

      it('counts uses with the time of the last one', async () => {
        await link('used');
        await store.shareLinks.recordUse('used', NOW + 5);
        await store.shareLinks.recordUse('used', NOW + 7);
        expect(await store.shareLinks.find('used')).toMatchObject({ uses: 2, lastUsedAt: NOW + 7 });
      });

      it('locks at the given count of wrong PINs, and unlocks with the count reset', async () => {
        await link('guessed', { pinHash: '$2b$04$hash' });
        const failures = [];
        for (let i = 0; i < 3; i++) failures.push(await store.shareLinks.recordPinFailure('guessed', 3));
        expect(failures).toEqual([{ failedPins: 1, locked: false }, { failedPins: 2, locked: false }, { failedPins: 3, locked: true }]);
        expect(await store.shareLinks.unlock('guessed')).toBe(true);
        expect(await store.shareLinks.find('guessed')).toMatchObject({ failedPins: 0, locked: false });
        expect(await store.shareLinks.unlock('never-made')).toBe(false);
      });

      it('counts every wrong PIN when many arrive at the same time', async () => {
        await link('stormed', { pinHash: '$2b$04$hash' });
        const failures = await Promise.all(Array.from({ length: 8 }, () => store.shareLinks.recordPinFailure('stormed', 5)));
        expect(failures.map((failure) => failure.failedPins).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(await store.shareLinks.find('stormed')).toMatchObject({ failedPins: 8, locked: true });
      });

      it('revokes a link once and records it for the revocation list until the link expires', async () => {
        await link('leaked', { expiresAt: NOW + 30 });
        expect(await store.shareLinks.revoke('leaked', NOW)).toBe(true);
        expect(await store.shareLinks.revoke('leaked', NOW)).toBe(false);
        expect(await store.shareLinks.revoke('never-made', NOW)).toBe(false);
        expect((await store.shareLinks.find('leaked'))?.revokedAt).toBe(NOW);
        expect((await store.tokens.revocationsSince(0, NOW)).map((row) => [row.familyId, row.keepUntil])).toEqual([['leaked', NOW + 30]]);
      });
    });

    describe('transactions', () => {
      it('commits the work and resolves to its result', async () => {
        await issue('auth', await userId(), 'committed');
        const outcome = await store.transaction(async (tx) => {
          const spent = await tx.tokens.spend('committed', 'auth', NOW);
          await tx.tokens.createFamily({ id: 'fam-committed', userId: (await tx.tokens.find('committed'))!.userId, audience: null, expiresAt: NOW + 60 }, NOW);
          return spent;
        });
        expect(outcome).toBe('spent');
        expect((await store.tokens.find('committed'))?.spentAt).toBe(NOW);
        expect(await store.tokens.findFamily('fam-committed')).toBeDefined();
      });

      it('rolls back everything when the work throws, and rejects with its error', async () => {
        const user = await userId();
        await issue('auth', user, 'rolled-back');
        await expect(store.transaction(async (tx) => {
          await tx.tokens.spend('rolled-back', 'auth', NOW);
          await tx.tokens.createFamily({ id: 'fam-rolled-back', userId: user, audience: null, expiresAt: NOW + 60 }, NOW);
          throw new Error('abort');
        })).rejects.toThrow('abort');
        expect(await store.tokens.findFamily('fam-rolled-back')).toBeUndefined();
        expect(await store.tokens.spend('rolled-back', 'auth', NOW)).toBe('spent');
      });

      it('keeps other callers out until it ends: one arriving meanwhile sees none of a rolled-back write', async () => {
        await issue('auth', await userId(), 'contended');
        let entered!: () => void;
        let release!: () => void;
        const opened = new Promise<void>((resolve) => (entered = resolve));
        const held = new Promise<void>((resolve) => (release = resolve));
        const inside = store.transaction(async (tx) => {
          await tx.tokens.spend('contended', 'auth', NOW);
          entered();
          await held;
          throw new Error('abort');
        });
        await opened;
        // Another caller, while the transaction is open: it must wait for the rollback, then spend the token itself.
        const outside = store.tokens.spend('contended', 'auth', NOW);
        release();
        await expect(inside).rejects.toThrow('abort');
        expect(await outside).toBe('spent');
      });
    });
  });
}
