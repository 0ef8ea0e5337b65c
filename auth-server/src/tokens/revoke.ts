import type { RevocationReason } from '../audit/events';
import { epochSeconds } from '../clock';
import type { Services } from '../services';

/** What revoking needs: the CLI revokes without a keyring or codec. */
export type RevocationContext = Pick<Services, 'store' | 'clock' | 'revocations' | 'audit'>;

/**
 * Revokes a sign-in's token family, or a share link (its id is the family of its token and of every
 * access token /open minted from it); the in-memory list refuses them at once.
 */
export async function revokeFamily(services: RevocationContext, familyId: string, reason: RevocationReason): Promise<void> {
  const now = epochSeconds(services.clock);
  const family = await services.store.tokens.findFamily(familyId);
  if (family) {
    if (await services.store.tokens.revokeFamily(familyId, now, family.expiresAt)) services.audit.record({ event: 'token.revoked', reason, family: familyId });
  } else if (await services.store.shareLinks.revoke(familyId, now)) {
    services.audit.record({ event: 'share.revoked', id: familyId, reason });
  }
  await services.revocations.refresh();
}

/**
 * RFC 7009: revokes whatever token it is given. An auth token is marked unusable; an access,
 * refresh or share token revokes its whole family (a share token: its link). Unknown, expired or
 * foreign tokens are silently ignored.
 */
export async function revokeToken(services: Services, token: string): Promise<void> {
  const now = epochSeconds(services.clock);
  const decoded = services.codec.decodeAny(token, now);
  if (!decoded.ok) return;
  const { claims } = decoded;
  if (claims.type === 'auth') {
    await services.store.tokens.revokeIssued(claims.jti, now);
    services.audit.record({ event: 'token.revoked', reason: 'revoke-endpoint', jti: claims.jti, kind: 'auth' });
  } else await revokeFamily(services, claims.fam, 'revoke-endpoint');
}

/** Revokes every live token family of a user and their unspent auth tokens; returns how many. */
export async function revokeUserTokens(services: RevocationContext, userId: number, reason: RevocationReason = 'admin'): Promise<number> {
  const now = epochSeconds(services.clock);
  const revokedFamilies: string[] = [];
  const revoked = await services.store.transaction(async (tx) => {
    const families = await tx.tokens.activeFamilies(userId, now);
    for (const family of families) {
      if (await tx.tokens.revokeFamily(family.id, now, family.expiresAt)) revokedFamilies.push(family.id);
    }
    return families.length + (await tx.tokens.revokeUnspentAuthTokens(userId, now));
  });
  for (const family of revokedFamilies) services.audit.record({ event: 'token.revoked', reason, family });
  await services.revocations.refresh();
  return revoked;
}
