import { epochSeconds } from '../../../auth-server/src/clock';
import type { AuthTokenClaims } from '../../../auth-server/src/tokens/claims';
import { issueAuthToken } from '../../../auth-server/src/tokens/issue';
import { spendAuthTokenForAccess } from '../../../auth-server/src/tokens/spend';
import { addUser, authTokenFor } from '../../support/domain';
import { claimsOf } from '../../support/forge';
import { useTestApp } from '../../support/test-app';

describe('spendAuthTokenForAccess', () => {
  const t = useTestApp();
  const ctx = t.app.services;
  const user = addUser(t, { canEditResource: true });
  /** The caller (RequestVerifier) has checked the token's signature and type: these are its claims. */
  const spend = (token: string) => spendAuthTokenForAccess(ctx, claimsOf(token) as unknown as AuthTokenClaims);

  it('spends an auth token for an access token of a new family, without a refresh token', () => {
    const spent = spend(authTokenFor(t, user));
    expect(spent?.user.id).toBe(user.id);
    const claims = claimsOf(spent?.accessToken ?? '');
    expect(claims).toMatchObject({ type: 'access', username: user.username, canEditResource: true });
    expect(t.store.tokens.findFamily(String(claims.fam))).toMatchObject({ userId: user.id });
  });

  it('spends it once', () => {
    const token = authTokenFor(t, user);
    expect(spend(token)).toBeDefined();
    expect(spend(token)).toBeUndefined();
  });

  it('refuses an auth token issued to a viewer: only that viewer may exchange it', () => {
    const token = issueAuthToken(ctx, user, epochSeconds(t.clock), 'https://viewer.example.org');
    expect(spend(token)).toBeUndefined();
    expect(t.store.tokens.find(String(claimsOf(token).jti))?.spentAt).toBeNull();
  });

  it('ignores an expired auth token', () => {
    const token = authTokenFor(t, user);
    t.clock.advanceSeconds(t.config.ttl.authToken);
    expect(spend(token)).toBeUndefined();
  });
});
