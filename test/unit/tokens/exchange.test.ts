import { InvalidToken, TokenExpired } from '../../../auth-server/src/errors';
import type { UserRecord } from '../../../auth-server/src/store/store';
import { exchangeAuthToken, refreshTokenPair } from '../../../auth-server/src/tokens/exchange';
import { addUser, authTokenFor, pairFor } from '../../support/domain';
import { claimsOf } from '../../support/forge';
import { useTestApp, VIEWER_ORIGIN } from '../../support/test-app';

describe('exchangeAuthToken', () => {
  const t = useTestApp();
  const ctx = t.app.services;
  let user: UserRecord;
  beforeAll(async () => {
    user = await addUser(t, { canEditResource: true });
  });

  it('gives an access token and a refresh token of one new family', async () => {
    const pair = await exchangeAuthToken(ctx, await authTokenFor(t, user), undefined);
    const access = claimsOf(pair.accessToken);
    const refresh = claimsOf(pair.refreshToken);
    expect(access).toMatchObject({ type: 'access', username: user.username, canEditResource: true });
    expect(refresh).toMatchObject({ type: 'refresh', fam: access.fam });
    expect(await t.store.tokens.findFamily(String(access.fam))).toMatchObject({ userId: user.id, revokedAt: null });
  });

  it('spends the auth token: a second exchange is refused', async () => {
    const token = await authTokenFor(t, user);
    await exchangeAuthToken(ctx, token, undefined);
    await expect(exchangeAuthToken(ctx, token, undefined)).rejects.toThrow(InvalidToken);
  });

  it('answers Token Expired once the auth token has lived its TTL', async () => {
    const token = await authTokenFor(t, user);
    t.clock.advanceSeconds(t.config.ttl.authToken);
    await expect(exchangeAuthToken(ctx, token, undefined)).rejects.toThrow(TokenExpired);
  });

  it('refuses a refresh token presented as an auth token', async () => {
    await expect(exchangeAuthToken(ctx, (await pairFor(t, user)).refreshToken, undefined)).rejects.toThrow(InvalidToken);
  });

  it('holds a viewer token to its audience: Origin must equal aud', async () => {
    await expect(exchangeAuthToken(ctx, await authTokenFor(t, user, VIEWER_ORIGIN), undefined)).rejects.toThrow(InvalidToken);
    await expect(exchangeAuthToken(ctx, await authTokenFor(t, user, VIEWER_ORIGIN), 'https://evil.example')).rejects.toThrow(InvalidToken);
    const pair = await exchangeAuthToken(ctx, await authTokenFor(t, user, VIEWER_ORIGIN), VIEWER_ORIGIN);
    expect(claimsOf(pair.accessToken).aud).toBe(VIEWER_ORIGIN);
    expect(claimsOf(pair.refreshToken).aud).toBe(VIEWER_ORIGIN);
  });

  it('refuses the auth token of a user deleted since', async () => {
    const gone = await addUser(t);
    const token = await authTokenFor(t, gone);
    await t.store.users.remove(gone.id);
    await expect(exchangeAuthToken(ctx, token, undefined)).rejects.toThrow(InvalidToken);
  });

  it('spends an auth token once when many exchanges of it arrive at the same time', async () => {
    const token = await authTokenFor(t, user);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => exchangeAuthToken(ctx, token, undefined)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('refreshTokenPair', () => {
  const t = useTestApp();
  const ctx = t.app.services;
  let user: UserRecord;
  beforeAll(async () => {
    user = await addUser(t);
  });

  it('rotates: a new pair in the same family, and the old refresh token is spent', async () => {
    const first = await pairFor(t, user);
    const second = await refreshTokenPair(ctx, first.refreshToken, undefined);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(claimsOf(second.accessToken).fam).toBe(claimsOf(first.accessToken).fam);
    expect((await t.store.tokens.find(String(claimsOf(first.refreshToken).jti)))?.spentAt).not.toBeNull();
  });

  it('revokes the whole family when a spent refresh token comes back', async () => {
    const first = await pairFor(t, user);
    const second = await refreshTokenPair(ctx, first.refreshToken, undefined);
    await expect(refreshTokenPair(ctx, first.refreshToken, undefined)).rejects.toThrow(InvalidToken);
    expect(ctx.revocations.has(String(claimsOf(first.accessToken).fam))).toBe(true);
    await expect(refreshTokenPair(ctx, second.refreshToken, undefined)).rejects.toThrow(InvalidToken);
  });

  it('answers Token Expired after the refresh TTL', async () => {
    const { refreshToken } = await pairFor(t, user);
    t.clock.advanceSeconds(t.config.ttl.refreshToken);
    await expect(refreshTokenPair(ctx, refreshToken, undefined)).rejects.toThrow(TokenExpired);
  });

  it('refuses an access token presented as a refresh token', async () => {
    await expect(refreshTokenPair(ctx, (await pairFor(t, user)).accessToken, undefined)).rejects.toThrow(InvalidToken);
  });

  it('holds a viewer refresh token to its audience', async () => {
    const { refreshToken } = await pairFor(t, user, VIEWER_ORIGIN);
    await expect(refreshTokenPair(ctx, refreshToken, 'https://evil.example')).rejects.toThrow(InvalidToken);
    expect(claimsOf((await refreshTokenPair(ctx, refreshToken, VIEWER_ORIGIN)).accessToken).aud).toBe(VIEWER_ORIGIN);
  });
});
