import { epochSeconds } from '../clock';
import { InvalidToken, TokenExpired } from '../errors';
import type { UserRecord } from '../store/store';
import type { ClaimsByType, TokenType } from './claims';
import type { TokenContext } from './context';
import { issueTokenPair, openTokenFamily, type TokenPair } from './issue';
import { revokeFamily } from './revoke';

function decodeForExchange<T extends TokenType>(ctx: TokenContext, token: string, type: T, origin: string | undefined, now: number): ClaimsByType[T] {
  const decoded = ctx.codec.decode(token, type, now);
  if (!decoded.ok) throw decoded.failure === 'expired' ? new TokenExpired() : new InvalidToken();
  // A token issued to a viewer may only be exchanged by that viewer's pages.
  if (decoded.claims.aud !== undefined && decoded.claims.aud !== origin) throw new InvalidToken();
  return decoded.claims;
}

function userOf(ctx: TokenContext, claims: { sub: string }): UserRecord {
  const user = ctx.store.users.findById(Number(claims.sub));
  if (!user) throw new InvalidToken();
  return user;
}

/** Spends a one-off auth token for an access + refresh pair; of concurrent attempts exactly one wins. */
export function exchangeAuthToken(ctx: TokenContext, token: string, origin: string | undefined): TokenPair {
  const now = epochSeconds(ctx.clock);
  const claims = decodeForExchange(ctx, token, 'auth', origin, now);
  return ctx.store.transaction(() => {
    if (ctx.store.tokens.spend(claims.jti, 'auth', now) !== 'spent') throw new InvalidToken();
    const user = userOf(ctx, claims);
    const audience = claims.aud ?? null;
    const family = openTokenFamily(ctx, user, audience, now);
    ctx.audit.record({ event: 'token.exchanged', jti: claims.jti, family, username: user.username, via: 'api' });
    return issueTokenPair(ctx, user, family, audience, now);
  });
}

/** Rotates a refresh token; presenting a spent one again revokes its whole family (theft detection). */
export function refreshTokenPair(ctx: TokenContext, token: string, origin: string | undefined): TokenPair {
  const now = epochSeconds(ctx.clock);
  const claims = decodeForExchange(ctx, token, 'refresh', origin, now);
  if (ctx.revocations.has(claims.fam)) throw new InvalidToken();
  const outcome = ctx.store.transaction(() => {
    const spent = ctx.store.tokens.spend(claims.jti, 'refresh', now);
    if (spent !== 'spent') return spent;
    return issueTokenPair(ctx, userOf(ctx, claims), claims.fam, claims.aud ?? null, now);
  });
  if (outcome === 'reused') revokeFamily(ctx, claims.fam, 'refresh-reuse');
  if (typeof outcome === 'string') throw new InvalidToken();
  ctx.audit.record({ event: 'token.refreshed', jti: claims.jti, family: claims.fam });
  return outcome;
}
