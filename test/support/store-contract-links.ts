import type { IssuedTokenKind, NewShareLink, Store } from '../../auth-server/src/store/store';

/** What the contract's two halves share: the store of the running test and its helpers. */
export interface ContractContext {
  store: () => Store;
  now: number;
  issue: (kind: IssuedTokenKind, user: number, jti: string, expiresAt?: number, familyId?: string | null) => Promise<void>;
  userId: () => Promise<number>;
}

/** The store contract's share links and transactions (store-contract.ts runs them with the rest). */
export function describeLinksAndTransactions({ store, now, issue, userId }: ContractContext): void {
  describe('share links', () => {
    const link = (id: string, overrides: Partial<NewShareLink> = {}) =>
      store().shareLinks.create({ id, label: 'For Dr. Who', studies: ['1.2.3', '1.2.4'], canEditResource: false, pinHash: null, createdBy: 'admin', expiresAt: now + 60, ...overrides }, now);

    it('creates a link and finds it with every field', async () => {
      const created = await link('share-a', { canEditResource: true, pinHash: '$2b$04$hash' });
      expect(created).toEqual({
        id: 'share-a', label: 'For Dr. Who', studies: ['1.2.3', '1.2.4'], canEditResource: true, pinHash: '$2b$04$hash',
        failedPins: 0, locked: false, createdBy: 'admin', createdAt: now, expiresAt: now + 60, uses: 0, lastUsedAt: null, revokedAt: null,
      });
      expect(await store().shareLinks.find('share-a')).toEqual(created);
      expect(await store().shareLinks.find('share-unknown')).toBeUndefined();
    });

    it('lists links newest first', async () => {
      await link('older');
      await store().shareLinks.create({ id: 'newer', label: null, studies: ['9'], canEditResource: false, pinHash: null, createdBy: 'alice', expiresAt: now + 90 }, now + 1);
      expect((await store().shareLinks.list()).map((row) => row.id)).toEqual(['newer', 'older']);
    });

    it('counts uses with the time of the last one', async () => {
      await link('used');
      await store().shareLinks.recordUse('used', now + 5);
      await store().shareLinks.recordUse('used', now + 7);
      expect(await store().shareLinks.find('used')).toMatchObject({ uses: 2, lastUsedAt: now + 7 });
    });

    it('locks at the given count of wrong PINs, and unlocks with the count reset', async () => {
      await link('guessed', { pinHash: '$2b$04$hash' });
      const failures = [];
      for (let i = 0; i < 3; i++) failures.push(await store().shareLinks.recordPinFailure('guessed', 3));
      expect(failures).toEqual([{ failedPins: 1, locked: false }, { failedPins: 2, locked: false }, { failedPins: 3, locked: true }]);
      expect(await store().shareLinks.unlock('guessed')).toBe(true);
      expect(await store().shareLinks.find('guessed')).toMatchObject({ failedPins: 0, locked: false });
      expect(await store().shareLinks.unlock('never-made')).toBe(false);
    });

    it('counts every wrong PIN when many arrive at the same time', async () => {
      await link('stormed', { pinHash: '$2b$04$hash' });
      const failures = await Promise.all(Array.from({ length: 8 }, () => store().shareLinks.recordPinFailure('stormed', 5)));
      expect(failures.map((failure) => failure.failedPins).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(await store().shareLinks.find('stormed')).toMatchObject({ failedPins: 8, locked: true });
    });

    it('revokes a link once and records it for the revocation list until the link expires', async () => {
      await link('leaked', { expiresAt: now + 30 });
      expect(await store().shareLinks.revoke('leaked', now)).toBe(true);
      expect(await store().shareLinks.revoke('leaked', now)).toBe(false);
      expect(await store().shareLinks.revoke('never-made', now)).toBe(false);
      expect((await store().shareLinks.find('leaked'))?.revokedAt).toBe(now);
      expect((await store().tokens.revocationsSince(0, now)).map((row) => [row.familyId, row.keepUntil])).toEqual([['leaked', now + 30]]);
    });
  });

  describe('transactions', () => {
    it('commits the work and resolves to its result', async () => {
      await issue('auth', await userId(), 'committed');
      const outcome = await store().transaction(async (tx) => {
        const spent = await tx.tokens.spend('committed', 'auth', now);
        await tx.tokens.createFamily({ id: 'fam-committed', userId: (await tx.tokens.find('committed'))!.userId, audience: null, expiresAt: now + 60 }, now);
        return spent;
      });
      expect(outcome).toBe('spent');
      expect((await store().tokens.find('committed'))?.spentAt).toBe(now);
      expect(await store().tokens.findFamily('fam-committed')).toBeDefined();
    });

    it('rolls back everything when the work throws, and rejects with its error', async () => {
      const user = await userId();
      await issue('auth', user, 'rolled-back');
      await expect(store().transaction(async (tx) => {
        await tx.tokens.spend('rolled-back', 'auth', now);
        await tx.tokens.createFamily({ id: 'fam-rolled-back', userId: user, audience: null, expiresAt: now + 60 }, now);
        throw new Error('abort');
      })).rejects.toThrow('abort');
      expect(await store().tokens.findFamily('fam-rolled-back')).toBeUndefined();
      expect(await store().tokens.spend('rolled-back', 'auth', now)).toBe('spent');
    });

    it('keeps other callers out until it ends: one arriving meanwhile sees none of a rolled-back write', async () => {
      await issue('auth', await userId(), 'contended');
      let entered!: () => void;
      let release!: () => void;
      const opened = new Promise<void>((resolve) => (entered = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      const inside = store().transaction(async (tx) => {
        await tx.tokens.spend('contended', 'auth', now);
        entered();
        await held;
        throw new Error('abort');
      });
      await opened;
      // Another caller, while the transaction is open: it must wait for the rollback, then spend the token itself.
      const outside = store().tokens.spend('contended', 'auth', now);
      release();
      await expect(inside).rejects.toThrow('abort');
      expect(await outside).toBe('spent');
    });
  });
}
