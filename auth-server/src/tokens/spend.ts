import { epochSeconds } from '../clock';
import type { UserRecord } from '../store/store';
import type { TokenContext } from './context';
import { issueAccessToken, openTokenFamily } from './issue';

/**
 * Spends an auth token from an explorer link for an access token alone: it goes into an HttpOnly
 * cookie, so no refresh token is made. Undefined when the token is not an unspent auth token
 * made for a link (no audience, or the PACS's own origin).
 */
export function spendAuthTokenForAccess(ctx: TokenContext, token: string): { accessToken: string; user: UserRecord } | undefined {
  const now = epochSeconds(ctx.clock);
  const decoded = ctx.codec.decode(token, 'auth', now);
  // A token issued to a viewer may only be exchanged by that viewer, never opened as a link here.
  if (!decoded.ok || (decoded.claims.aud !== undefined && decoded.claims.aud !== new URL(ctx.config.publicUrl).origin)) return undefined;
  return ctx.store.transaction(() => {
    if (ctx.store.tokens.spend(decoded.claims.jti, 'auth', now) !== 'spent') return undefined;
    const user = ctx.store.users.findById(Number(decoded.claims.sub));
    if (!user) return undefined;
    const family = openTokenFamily(ctx, user, null, now);
    ctx.audit.record({ event: 'token.exchanged', jti: decoded.claims.jti, family, username: user.username, via: 'explorer-link' });
    return { accessToken: issueAccessToken(ctx, user, family, null, now), user };
  });
}
