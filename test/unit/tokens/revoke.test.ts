import { InvalidToken } from '../../../auth-server/src/errors';
import { exchangeAuthToken, refreshTokenPair } from '../../../auth-server/src/tokens/exchange';
import { revokeToken, revokeUserTokens } from '../../../auth-server/src/tokens/revoke';
import { addUser, authTokenFor, pairFor } from '../../support/domain';
import { claimsOf, signedWithForeignKey } from '../../support/forge';
import { useTestApp } from '../../support/test-app';

describe('revokeToken', () => {
  const t = useTestApp();
  const ctx = t.app.services;
  const user = addUser(t);
  const familyOf = (token: string) => String(claimsOf(token).fam);

  it.each(['accessToken', 'refreshToken'] as const)('revokes the whole family given its %s', (which) => {
    const pair = pairFor(t, user);
    revokeToken(ctx, pair[which]);
    expect(ctx.revocations.has(familyOf(pair.accessToken))).toBe(true);
    expect(() => refreshTokenPair(ctx, pair.refreshToken, undefined)).toThrow(InvalidToken);
  });

  it('makes an auth token unusable without touching other families', () => {
    const other = pairFor(t, user);
    const token = authTokenFor(t, user);
    revokeToken(ctx, token);
    expect(() => exchangeAuthToken(ctx, token, undefined)).toThrow(InvalidToken);
    expect(ctx.revocations.has(familyOf(other.accessToken))).toBe(false);
  });

  it('silently ignores garbage, foreign and expired tokens', () => {
    const pair = pairFor(t, user);
    const before = ctx.revocations.size;
    revokeToken(ctx, 'garbage');
    revokeToken(ctx, signedWithForeignKey(pair.accessToken));
    t.clock.advanceSeconds(t.config.ttl.refreshToken);
    revokeToken(ctx, pair.refreshToken);
    expect(ctx.revocations.size).toBe(before);
  });
});

describe('revokeUserTokens', () => {
  const t = useTestApp();

  it('revokes every live family and every unspent auth token of the user, and no one else’s', () => {
    const ctx = t.app.services;
    const user = addUser(t);
    const bystander = pairFor(t, addUser(t));
    const families = [pairFor(t, user), pairFor(t, user)];
    const unspent = authTokenFor(t, user);

    expect(revokeUserTokens(ctx, user.id)).toBe(3);
    for (const pair of families) expect(ctx.revocations.has(String(claimsOf(pair.accessToken).fam))).toBe(true);
    expect(() => exchangeAuthToken(ctx, unspent, undefined)).toThrow(InvalidToken);
    expect(ctx.revocations.has(String(claimsOf(bystander.accessToken).fam))).toBe(false);
  });
});
