import { InvalidToken } from '../../../auth-server/src/errors';
import type { UserRecord } from '../../../auth-server/src/store/store';
import { exchangeAuthToken, refreshTokenPair } from '../../../auth-server/src/tokens/exchange';
import { revokeToken, revokeUserTokens } from '../../../auth-server/src/tokens/revoke';
import { addUser, authTokenFor, pairFor } from '../../support/domain';
import { claimsOf, signedWithForeignKey } from '../../support/forge';
import { useTestApp } from '../../support/test-app';

describe('revokeToken', () => {
  const t = useTestApp();
  const ctx = t.app.services;
  let user: UserRecord;
  beforeAll(async () => {
    user = await addUser(t);
  });
  const familyOf = (token: string) => String(claimsOf(token).fam);

  it.each(['accessToken', 'refreshToken'] as const)('revokes the whole family given its %s', async (which) => {
    const pair = await pairFor(t, user);
    await revokeToken(ctx, pair[which]);
    expect(ctx.revocations.has(familyOf(pair.accessToken))).toBe(true);
    await expect(refreshTokenPair(ctx, pair.refreshToken, undefined)).rejects.toThrow(InvalidToken);
  });

  it('makes an auth token unusable without touching other families', async () => {
    const other = await pairFor(t, user);
    const token = await authTokenFor(t, user);
    await revokeToken(ctx, token);
    await expect(exchangeAuthToken(ctx, token, undefined)).rejects.toThrow(InvalidToken);
    expect(ctx.revocations.has(familyOf(other.accessToken))).toBe(false);
  });

  it('silently ignores garbage, foreign and expired tokens', async () => {
    const pair = await pairFor(t, user);
    const before = ctx.revocations.size;
    await revokeToken(ctx, 'garbage');
    await revokeToken(ctx, signedWithForeignKey(pair.accessToken));
    t.clock.advanceSeconds(t.config.ttl.refreshToken);
    await revokeToken(ctx, pair.refreshToken);
    expect(ctx.revocations.size).toBe(before);
  });
});

describe('revokeUserTokens', () => {
  const t = useTestApp();

  it('revokes every live family and every unspent auth token of the user, and no one else’s', async () => {
    const ctx = t.app.services;
    const user = await addUser(t);
    const bystander = await pairFor(t, await addUser(t));
    const families = [await pairFor(t, user), await pairFor(t, user)];
    const unspent = await authTokenFor(t, user);

    expect(await revokeUserTokens(ctx, user.id)).toBe(3);
    for (const pair of families) expect(ctx.revocations.has(String(claimsOf(pair.accessToken).fam))).toBe(true);
    await expect(exchangeAuthToken(ctx, unspent, undefined)).rejects.toThrow(InvalidToken);
    expect(ctx.revocations.has(String(claimsOf(bystander.accessToken).fam))).toBe(false);
  });
});
