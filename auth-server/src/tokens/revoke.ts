import type { RevocationReason } from '../audit/events';
import { epochSeconds } from '../clock';
import type { TokenContext } from './context';

/** What revoking needs: the CLI revokes without a keyring or codec. */
export type RevocationContext = Pick<TokenContext, 'store' | 'clock' | 'revocations' | 'audit'>;

/**
 * Revokes a sign-in's token family, or a share link (its id is the family of its token and of every
 * access token /open minted from it); the in-memory list refuses them at once.
 */
export function revokeFamily(ctx: RevocationContext, familyId: string, reason: RevocationReason): void {
  const now = epochSeconds(ctx.clock);
  const family = ctx.store.tokens.findFamily(familyId);
  if (family) {
    if (ctx.store.tokens.revokeFamily(familyId, now, family.expiresAt)) ctx.audit.record({ event: 'token.revoked', reason, family: familyId });
  } else if (ctx.store.shareLinks.revoke(familyId, now)) {
    ctx.audit.record({ event: 'share.revoked', id: familyId, reason });
  }
  ctx.revocations.refresh();
}

/**
 * RFC 7009: revokes whatever token it is given. An auth token is marked unusable; an access,
 * refresh or share token revokes its whole family (a share token: the link). Unknown, expired or foreign tokens are silently ignored.
 */
export function revokeToken(ctx: TokenContext, token: string): void {
  const now = epochSeconds(ctx.clock);
  const decoded = ctx.codec.decodeAny(token, now);
  if (!decoded.ok) return;
  const { claims } = decoded;
  if (claims.type === 'auth') {
    ctx.store.tokens.revokeIssued(claims.jti, now);
    ctx.audit.record({ event: 'token.revoked', reason: 'revoke-endpoint', jti: claims.jti, kind: 'auth' });
  } else revokeFamily(ctx, claims.fam, 'revoke-endpoint');
}

/** Revokes every live token family of a user and their unspent auth tokens; returns how many. */
export function revokeUserTokens(ctx: RevocationContext, userId: number, reason: RevocationReason = 'admin'): number {
  const now = epochSeconds(ctx.clock);
  const revokedFamilies: string[] = [];
  const revoked = ctx.store.transaction(() => {
    const families = ctx.store.tokens.activeFamilies(userId, now);
    for (const family of families) {
      if (ctx.store.tokens.revokeFamily(family.id, now, family.expiresAt)) revokedFamilies.push(family.id);
    }
    return families.length + ctx.store.tokens.revokeUnspentAuthTokens(userId, now);
  });
  for (const family of revokedFamilies) ctx.audit.record({ event: 'token.revoked', reason, family });
  ctx.revocations.refresh();
  return revoked;
}
