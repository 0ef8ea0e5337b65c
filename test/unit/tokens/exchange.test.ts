import { InvalidToken, TokenExpired } from '../../../auth-server/src/errors';
import { exchangeAuthToken, refreshTokenPair } from '../../../auth-server/src/tokens/exchange';
import { addUser, authTokenFor, pairFor } from '../../support/domain';
import { claimsOf } from '../../support/forge';
import { useTestApp, VIEWER_ORIGIN } from '../../support/test-app';

describe('exchangeAuthToken', () => {
  const t = useTestApp();
  const ctx = t.app.services;
  const user = addUser(t, { canEditResource: true });

  it('gives an access token and a refresh token of one new family', () => {
    const pair = exchangeAuthToken(ctx, authTokenFor(t, user), undefined);
    const access = claimsOf(pair.accessToken);
    const refresh = claimsOf(pair.refreshToken);
    expect(access).toMatchObject({ type: 'access', username: user.username, canEditResource: true });
    expect(refresh).toMatchObject({ type: 'refresh', fam: access.fam });
    expect(t.store.tokens.findFamily(String(access.fam))).toMatchObject({ userId: user.id, revokedAt: null });
  });

  it('spends the auth token: a second exchange is refused', () => {
    const token = authTokenFor(t, user);
    exchangeAuthToken(ctx, token, undefined);
    expect(() => exchangeAuthToken(ctx, token, undefined)).toThrow(InvalidToken);
  });

  it('answers Token Expired once the auth token has lived its TTL', () => {
    const token = authTokenFor(t, user);
    t.clock.advanceSeconds(t.config.ttl.authToken);
    expect(() => exchangeAuthToken(ctx, token, undefined)).toThrow(TokenExpired);
  });

  it('refuses a refresh token presented as an auth token', () => {
    expect(() => exchangeAuthToken(ctx, pairFor(t, user).refreshToken, undefined)).toThrow(InvalidToken);
  });

  it('holds a viewer token to its audience: Origin must equal aud', () => {
    expect(() => exchangeAuthToken(ctx, authTokenFor(t, user, VIEWER_ORIGIN), undefined)).toThrow(InvalidToken);
    expect(() => exchangeAuthToken(ctx, authTokenFor(t, user, VIEWER_ORIGIN), 'https://evil.example')).toThrow(InvalidToken);
    const pair = exchangeAuthToken(ctx, authTokenFor(t, user, VIEWER_ORIGIN), VIEWER_ORIGIN);
    expect(claimsOf(pair.accessToken).aud).toBe(VIEWER_ORIGIN);
    expect(claimsOf(pair.refreshToken).aud).toBe(VIEWER_ORIGIN);
  });

  it('refuses the auth token of a user deleted since', () => {
    const gone = addUser(t);
    const token = authTokenFor(t, gone);
    t.store.users.remove(gone.id);
    expect(() => exchangeAuthToken(ctx, token, undefined)).toThrow(InvalidToken);
  });
});

describe('refreshTokenPair', () => {
  const t = useTestApp();
  const ctx = t.app.services;
  const user = addUser(t);

  it('rotates: a new pair in the same family, and the old refresh token is spent', () => {
    const first = pairFor(t, user);
    const second = refreshTokenPair(ctx, first.refreshToken, undefined);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(claimsOf(second.accessToken).fam).toBe(claimsOf(first.accessToken).fam);
    expect(t.store.tokens.find(String(claimsOf(first.refreshToken).jti))?.spentAt).not.toBeNull();
  });

  it('revokes the whole family when a spent refresh token comes back', () => {
    const first = pairFor(t, user);
    const second = refreshTokenPair(ctx, first.refreshToken, undefined);
    expect(() => refreshTokenPair(ctx, first.refreshToken, undefined)).toThrow(InvalidToken);
    expect(ctx.revocations.has(String(claimsOf(first.accessToken).fam))).toBe(true);
    expect(() => refreshTokenPair(ctx, second.refreshToken, undefined)).toThrow(InvalidToken);
  });

  it('answers Token Expired after the refresh TTL', () => {
    const { refreshToken } = pairFor(t, user);
    t.clock.advanceSeconds(t.config.ttl.refreshToken);
    expect(() => refreshTokenPair(ctx, refreshToken, undefined)).toThrow(TokenExpired);
  });

  it('refuses an access token presented as a refresh token', () => {
    expect(() => refreshTokenPair(ctx, pairFor(t, user).accessToken, undefined)).toThrow(InvalidToken);
  });

  it('holds a viewer refresh token to its audience', () => {
    const { refreshToken } = pairFor(t, user, VIEWER_ORIGIN);
    expect(() => refreshTokenPair(ctx, refreshToken, 'https://evil.example')).toThrow(InvalidToken);
    expect(claimsOf(refreshTokenPair(ctx, refreshToken, VIEWER_ORIGIN).accessToken).aud).toBe(VIEWER_ORIGIN);
  });
});
