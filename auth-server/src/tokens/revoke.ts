import { epochSeconds } from '../clock';
import type { TokenContext } from './context';

export function revokeFamily(ctx: TokenContext, familyId: string): void {
  const family = ctx.store.tokens.findFamily(familyId);
  if (!family) return;
  ctx.store.tokens.revokeFamily(familyId, epochSeconds(ctx.clock), family.expiresAt);
  ctx.revocations.refresh();
}

/**
 * RFC 7009: revokes whatever token it is given. An auth token is marked unusable; an access or
 * refresh token revokes its whole family. Unknown, expired or foreign tokens are silently ignored.
 */
export function revokeToken(ctx: TokenContext, token: string): void {
  const now = epochSeconds(ctx.clock);
  const decoded = ctx.codec.decodeAny(token, now);
  if (!decoded.ok) return;
  const { claims } = decoded;
  if (claims.type === 'auth') ctx.store.tokens.revokeIssued(claims.jti, now);
  else revokeFamily(ctx, claims.fam);
}

/** Revokes every live token family of a user and their unspent auth tokens; returns how many. */
export function revokeUserTokens(ctx: TokenContext, userId: number): number {
  const now = epochSeconds(ctx.clock);
  const families = ctx.store.tokens.activeFamilies(userId, now);
  const revoked = ctx.store.transaction(() => {
    for (const family of families) ctx.store.tokens.revokeFamily(family.id, now, family.expiresAt);
    return families.length + ctx.store.tokens.revokeUnspentAuthTokens(userId, now);
  });
  ctx.revocations.refresh();
  return revoked;
}
