import type { Store, UserFields } from '../../auth-server/src/store/store';
import { describeLinksAndTransactions } from './store-contract-links';

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

    describeLinksAndTransactions({ store: () => store, now: NOW, issue, userId });
  });
}
