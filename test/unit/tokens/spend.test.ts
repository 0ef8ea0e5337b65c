import { epochSeconds } from '../../../auth-server/src/clock';
import { issueAuthToken } from '../../../auth-server/src/tokens/issue';
import { spendAuthTokenForAccess } from '../../../auth-server/src/tokens/spend';
import { addUser, authTokenFor, pairFor } from '../../support/domain';
import { claimsOf } from '../../support/forge';
import { useTestApp } from '../../support/test-app';

describe('spendAuthTokenForAccess', () => {
  const t = useTestApp();
  const ctx = t.app.tokens;
  const user = addUser(t, { canEditResource: true });

  it('spends an auth token for an access token of a new family, without a refresh token', () => {
    const spent = spendAuthTokenForAccess(ctx, authTokenFor(t, user));
    expect(spent?.user.id).toBe(user.id);
    const claims = claimsOf(spent?.accessToken ?? '');
    expect(claims).toMatchObject({ type: 'access', username: user.username, canEditResource: true });
    expect(t.store.tokens.findFamily(String(claims.fam))).toMatchObject({ userId: user.id });
  });

  it('spends it once', () => {
    const token = authTokenFor(t, user);
    expect(spendAuthTokenForAccess(ctx, token)).toBeDefined();
    expect(spendAuthTokenForAccess(ctx, token)).toBeUndefined();
  });

  it('ignores tokens that are not auth tokens', () => {
    const { accessToken, refreshToken } = pairFor(t, user);
    expect(spendAuthTokenForAccess(ctx, accessToken)).toBeUndefined();
    expect(spendAuthTokenForAccess(ctx, refreshToken)).toBeUndefined();
    expect(spendAuthTokenForAccess(ctx, 'garbage')).toBeUndefined();
  });

  it('refuses an auth token issued to a viewer: only that viewer may exchange it', () => {
    const token = issueAuthToken(ctx, user, epochSeconds(t.clock), 'https://viewer.example.org');
    expect(spendAuthTokenForAccess(ctx, token)).toBeUndefined();
    expect(t.store.tokens.find(String(claimsOf(token).jti))?.spentAt).toBeNull();
  });

  it('ignores an expired auth token', () => {
    const token = authTokenFor(t, user);
    t.clock.advanceSeconds(t.config.ttl.authToken);
    expect(spendAuthTokenForAccess(ctx, token)).toBeUndefined();
  });
});
