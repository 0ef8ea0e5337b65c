import { join } from 'node:path';
import { openSqliteStore } from '../../../auth-server/src/store/sqlite-store';
import { RevocationList } from '../../../auth-server/src/tokens/revocation-list';
import { addUser, nowOf, pairFor } from '../../support/domain';
import { claimsOf } from '../../support/forge';
import { useTestApp } from '../../support/test-app';

describe('RevocationList', () => {
  const t = useTestApp();
  const user = addUser(t);
  const familyOf = (token: string) => String(claimsOf(token).fam);

  /** Revokes through a second connection to the database, as another process (the CLI) would. */
  function revokeElsewhere(familyId: string): void {
    const other = openSqliteStore(join(t.dir, 'pacsgate.sqlite'));
    const family = other.tokens.findFamily(familyId);
    other.tokens.revokeFamily(familyId, nowOf(t), family?.expiresAt ?? 0);
    other.close();
  }

  it('loads the revocations already in the store when built', () => {
    const family = familyOf(pairFor(t, user).accessToken);
    revokeElsewhere(family);
    expect(new RevocationList(t.store.tokens, t.clock).has(family)).toBe(true);
  });

  it('picks up another process’s revocation on refresh, not before', () => {
    const list = new RevocationList(t.store.tokens, t.clock);
    const family = familyOf(pairFor(t, user).accessToken);
    revokeElsewhere(family);
    expect(list.has(family)).toBe(false);
    list.refresh();
    expect(list.has(family)).toBe(true);
  });

  it('forgets a revocation once no token of the family can still be valid', () => {
    const list = new RevocationList(t.store.tokens, t.clock);
    const family = familyOf(pairFor(t, user).accessToken);
    revokeElsewhere(family);
    list.refresh();
    t.clock.advanceSeconds(t.config.ttl.refreshToken);
    list.refresh();
    expect(list.has(family)).toBe(false);
  });

  it('refreshes on its own when polling, until stopped', () => {
    jest.useFakeTimers();
    try {
      const list = new RevocationList(t.store.tokens, t.clock);
      const stop = list.startPolling(1000, (error) => { throw error; });
      const first = familyOf(pairFor(t, user).accessToken);
      revokeElsewhere(first);
      jest.advanceTimersByTime(1000);
      expect(list.has(first)).toBe(true);
      stop();
      const second = familyOf(pairFor(t, user).accessToken);
      revokeElsewhere(second);
      jest.advanceTimersByTime(5000);
      expect(list.has(second)).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});
