import { epochSeconds } from '../../../auth-server/src/clock';
import type { UserRecord } from '../../../auth-server/src/store/store';
import type { AuthTokenClaims } from '../../../auth-server/src/tokens/claims';
import { issueAuthToken } from '../../../auth-server/src/tokens/issue';
import { spendAuthTokenForAccess } from '../../../auth-server/src/tokens/spend';
import { addUser, authTokenFor } from '../../support/domain';
import { claimsOf } from '../../support/forge';
import { useTestApp } from '../../support/test-app';

describe('spendAuthTokenForAccess', () => {
  const t = useTestApp();
  const ctx = t.app.services;
  let user: UserRecord;
  beforeAll(async () => {
    user = await addUser(t, { canEditResource: true });
  });
  /** The caller (RequestVerifier) has checked the token's signature and type: these are its claims. */
  const spend = (token: string) => spendAuthTokenForAccess(ctx, claimsOf(token) as unknown as AuthTokenClaims);

  it('spends an auth token for an access token of a new family, without a refresh token', async () => {
    const spent = await spend(await authTokenFor(t, user));
    expect(spent?.user.id).toBe(user.id);
    const claims = claimsOf(spent?.accessToken ?? '');
    expect(claims).toMatchObject({ type: 'access', username: user.username, canEditResource: true });
    expect(await t.store.tokens.findFamily(String(claims.fam))).toMatchObject({ userId: user.id });
  });

  it('spends it once', async () => {
    const token = await authTokenFor(t, user);
    expect(await spend(token)).toBeDefined();
    expect(await spend(token)).toBeUndefined();
  });

  it('refuses an auth token issued to a viewer: only that viewer may exchange it', async () => {
    const token = await issueAuthToken(ctx, user, epochSeconds(t.clock), 'https://viewer.example.org');
    expect(await spend(token)).toBeUndefined();
    expect((await t.store.tokens.find(String(claimsOf(token).jti)))?.spentAt).toBeNull();
  });

  it('ignores an expired auth token', async () => {
    const token = await authTokenFor(t, user);
    t.clock.advanceSeconds(t.config.ttl.authToken);
    expect(await spend(token)).toBeUndefined();
  });
});
