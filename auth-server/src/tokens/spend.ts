import { epochSeconds } from '../clock';
import type { UserRecord } from '../store/store';
import type { TokenContext } from './context';
import { issueAccessToken, openTokenFamily } from './issue';

/**
 * Spends an auth token from an explorer link for an access token alone: it goes into an HttpOnly
 * cookie, so no refresh token is made. Undefined when the token is not an unspent auth token.
 */
export function spendAuthTokenForAccess(ctx: TokenContext, token: string): { accessToken: string; user: UserRecord } | undefined {
  const now = epochSeconds(ctx.clock);
  const decoded = ctx.codec.decode(token, 'auth', now);
  if (!decoded.ok) return undefined;
  return ctx.store.transaction(() => {
    if (ctx.store.tokens.spend(decoded.claims.jti, 'auth', now) !== 'spent') return undefined;
    const user = ctx.store.users.findById(Number(decoded.claims.sub));
    return user && { accessToken: issueAccessToken(ctx, user, openTokenFamily(ctx, user, null, now), null, now), user };
  });
}
