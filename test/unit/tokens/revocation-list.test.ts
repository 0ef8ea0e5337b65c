import { join } from 'node:path';
import type { UserRecord } from '../../../auth-server/src/store/store';
import { openSqliteStore } from '../../../auth-server/src/store/sqlite-store';
import { RevocationList } from '../../../auth-server/src/tokens/revocation-list';
import { addUser, nowOf, pairFor } from '../../support/domain';
import { claimsOf } from '../../support/forge';
import { useTestApp } from '../../support/test-app';

describe('RevocationList', () => {
  const t = useTestApp();
  let user: UserRecord;
  beforeAll(async () => {
    user = await addUser(t);
  });
  const newFamily = async () => String(claimsOf((await pairFor(t, user)).accessToken).fam);

  /** Revokes through a second connection to the database, as another process (the CLI) would. */
  async function revokeElsewhere(familyId: string): Promise<void> {
    const other = openSqliteStore(join(t.dir, 'pacsgate.sqlite'));
    const family = await other.tokens.findFamily(familyId);
    await other.tokens.revokeFamily(familyId, nowOf(t), family?.expiresAt ?? 0);
    await other.close();
  }

  it('loads the revocations already in the store when loaded', async () => {
    const family = await newFamily();
    await revokeElsewhere(family);
    const list = await RevocationList.load(t.store.tokens, t.clock);
    expect(list.ready).toBe(true);
    expect(list.has(family)).toBe(true);
  });

  it('picks up another process’s revocation on refresh, not before', async () => {
    const list = await RevocationList.load(t.store.tokens, t.clock);
    const family = await newFamily();
    await revokeElsewhere(family);
    expect(list.has(family)).toBe(false);
    await list.refresh();
    expect(list.has(family)).toBe(true);
  });

  it('reads after every refresh asked for: one asked while another runs still sees what came before it', async () => {
    const list = await RevocationList.load(t.store.tokens, t.clock);
    const first = await newFamily();
    const second = await newFamily();
    await revokeElsewhere(first);
    const running = list.refresh();
    await revokeElsewhere(second);
    await Promise.all([running, list.refresh()]);
    expect([list.has(first), list.has(second)]).toEqual([true, true]);
  });

  it('forgets a revocation once no token of the family can still be valid', async () => {
    const list = await RevocationList.load(t.store.tokens, t.clock);
    const family = await newFamily();
    await revokeElsewhere(family);
    await list.refresh();
    t.clock.advanceSeconds(t.config.ttl.refreshToken);
    await list.refresh();
    expect(list.has(family)).toBe(false);
  });

  it('refreshes on its own when polling, until stopped', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const list = await RevocationList.load(t.store.tokens, t.clock);
      const stop = list.startPolling(1000, (error) => { throw error; });
      const first = await newFamily();
      await revokeElsewhere(first);
      await jest.advanceTimersByTimeAsync(1000);
      expect(list.has(first)).toBe(true);
      stop();
      const second = await newFamily();
      await revokeElsewhere(second);
      await jest.advanceTimersByTimeAsync(5000);
      expect(list.has(second)).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});
