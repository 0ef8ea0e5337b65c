import type { Store, UserFields } from '../../auth-server/src/store/store';

/**
 * The behaviour every Store adapter must have. SQLite runs it today; another adapter calls
 * `describeStoreContract` with its own `open` and must pass the same suite.
 */
export function describeStoreContract(adapter: string, open: () => { store: Store; cleanup: () => void }): void {
  describe(`${adapter} store contract`, () => {
    let store: Store;
    let cleanup: () => void;
    beforeEach(() => ({ store, cleanup } = open()));
    afterEach(() => cleanup());

    const NOW = 1_800_000_000;
    let names = 0;
    const fields = (overrides: Partial<UserFields> = {}): UserFields => ({
      username: `user${++names}`, name: 'Store User', passwordHash: null, canEditResource: false, oidcIssuer: null, oidcSubject: null, ...overrides,
    });
    const addUser = () => store.users.upsert(fields(), NOW);
    const issue = (kind: 'auth' | 'refresh', userId: number, jti: string, expiresAt = NOW + 60, familyId: string | null = null) =>
      store.tokens.recordIssued({ jti, kind, userId, familyId, expiresAt }, NOW);
    const family = (id: string, userId: number, expiresAt = NOW + 60) => store.tokens.createFamily({ id, userId, audience: null, expiresAt }, NOW);

    describe('users', () => {
      it('creates a user and finds it by id, username and OIDC identity', () => {
        const user = store.users.upsert(fields({ username: 'alice', canEditResource: true, oidcIssuer: 'https://id.example', oidcSubject: 'sub-1' }), NOW);
        expect(user).toMatchObject({ username: 'alice', canEditResource: true });
        expect(store.users.findById(user.id)).toEqual(user);
        expect(store.users.findByUsername('alice')).toEqual(user);
        expect(store.users.findByOidcIdentity('https://id.example', 'sub-1')).toEqual(user);
        expect(store.users.findByUsername('bob')).toBeUndefined();
      });

      it('replaces the fields of an existing username, keeping its id', () => {
        const first = store.users.upsert(fields({ username: 'carol', name: 'Carol', passwordHash: 'hash-1' }), NOW);
        const second = store.users.upsert(fields({ username: 'carol', name: 'Carol B.', canEditResource: true, passwordHash: 'hash-2' }), NOW);
        expect(second).toMatchObject({ id: first.id, name: 'Carol B.', canEditResource: true, passwordHash: 'hash-2' });
        expect(store.users.list().filter((user) => user.username === 'carol')).toHaveLength(1);
      });

      it('removes a user with their tokens', () => {
        const user = addUser();
        issue('auth', user.id, 'removed-auth');
        store.users.remove(user.id);
        expect(store.users.findById(user.id)).toBeUndefined();
        expect(store.tokens.find('removed-auth')).toBeUndefined();
      });
    });

    describe('spend', () => {
      it('spends an issued token exactly once, then reports reuse', () => {
        issue('auth', addUser().id, 'once');
        expect(store.tokens.spend('once', 'auth', NOW)).toBe('spent');
        expect(store.tokens.spend('once', 'auth', NOW)).toBe('reused');
        expect(store.tokens.find('once')?.spentAt).toBe(NOW);
      });

      it('reports a revoked token as reused', () => {
        issue('auth', addUser().id, 'revoked');
        store.tokens.revokeIssued('revoked', NOW);
        expect(store.tokens.spend('revoked', 'auth', NOW)).toBe('reused');
      });

      it.each([
        ['never issued', 'other', 'auth', NOW],
        ['of another kind', 'candidate', 'refresh', NOW],
        ['expired', 'candidate', 'auth', NOW + 60],
      ] as const)('does not spend a token %s', (_why, jti, kind, now) => {
        issue('auth', addUser().id, 'candidate');
        expect(store.tokens.spend(jti, kind, now)).toBe('unknown');
      });

      it('revokes only the unspent auth tokens of one user', () => {
        const user = addUser();
        issue('auth', user.id, 'unspent-1');
        issue('auth', user.id, 'unspent-2');
        issue('auth', user.id, 'spent');
        store.tokens.spend('spent', 'auth', NOW);
        issue('auth', addUser().id, 'bystander');
        expect(store.tokens.revokeUnspentAuthTokens(user.id, NOW)).toBe(2);
        expect(store.tokens.spend('bystander', 'auth', NOW)).toBe('spent');
      });
    });

    describe('families and revocations', () => {
      it('extends a family only forward', () => {
        family('fam-extend', addUser().id, NOW + 60);
        store.tokens.extendFamily('fam-extend', NOW + 30);
        expect(store.tokens.findFamily('fam-extend')?.expiresAt).toBe(NOW + 60);
        store.tokens.extendFamily('fam-extend', NOW + 90);
        expect(store.tokens.findFamily('fam-extend')?.expiresAt).toBe(NOW + 90);
      });

      it('lists the live families of a user: not revoked, not expired', () => {
        const user = addUser();
        family('live', user.id);
        family('expired', user.id, NOW);
        family('revoked', user.id);
        store.tokens.revokeFamily('revoked', NOW, NOW + 60);
        expect(store.tokens.activeFamilies(user.id, NOW).map((row) => row.id)).toEqual(['live']);
      });

      it('revokes a family once and records it in order for the revocation list', () => {
        const user = addUser();
        family('fam-a', user.id);
        family('fam-b', user.id);
        expect(store.tokens.revokeFamily('fam-a', NOW, NOW + 60)).toBe(true);
        expect(store.tokens.revokeFamily('fam-a', NOW, NOW + 60)).toBe(false);
        expect(store.tokens.revokeFamily('fam-b', NOW, NOW + 10)).toBe(true);
        const all = store.tokens.revocationsSince(0, NOW);
        expect(all.map((row) => [row.familyId, row.keepUntil])).toEqual([['fam-a', NOW + 60], ['fam-b', NOW + 10]]);
        expect(store.tokens.revocationsSince(all[0].seq, NOW).map((row) => row.familyId)).toEqual(['fam-b']);
        expect(store.tokens.revocationsSince(0, NOW + 10).map((row) => row.familyId)).toEqual(['fam-a']);
        expect(store.tokens.findFamily('fam-a')?.revokedAt).toBe(NOW);
      });
    });

    it('rolls a transaction back when its work throws', () => {
      issue('auth', addUser().id, 'rolled-back');
      expect(() => store.transaction(() => {
        store.tokens.spend('rolled-back', 'auth', NOW);
        throw new Error('abort');
      })).toThrow('abort');
      expect(store.tokens.spend('rolled-back', 'auth', NOW)).toBe('spent');
    });
  });
}
