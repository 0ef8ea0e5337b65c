import type { RevocationReason } from '../audit/events';
import { epochSeconds } from '../clock';
import type { Services } from '../services';

/** What revoking needs: the CLI revokes without a keyring or codec. */
export type RevocationContext = Pick<Services, 'store' | 'clock' | 'revocations' | 'audit'>;

export function revokeFamily(services: RevocationContext, familyId: string, reason: RevocationReason): void {
  const family = services.store.tokens.findFamily(familyId);
  if (!family) return;
  if (services.store.tokens.revokeFamily(familyId, epochSeconds(services.clock), family.expiresAt)) services.audit.record({ event: 'token.revoked', reason, family: familyId });
  services.revocations.refresh();
}

/**
 * RFC 7009: revokes whatever token it is given. An auth token is marked unusable; an access or
 * refresh token revokes its whole family. Unknown, expired or foreign tokens are silently ignored.
 */
export function revokeToken(services: Services, token: string): void {
  const now = epochSeconds(services.clock);
  const decoded = services.codec.decodeAny(token, now);
  if (!decoded.ok) return;
  const { claims } = decoded;
  if (claims.type === 'auth') {
    services.store.tokens.revokeIssued(claims.jti, now);
    services.audit.record({ event: 'token.revoked', reason: 'revoke-endpoint', jti: claims.jti, kind: 'auth' });
  } else revokeFamily(services, claims.fam, 'revoke-endpoint');
}

/** Revokes every live token family of a user and their unspent auth tokens; returns how many. */
export function revokeUserTokens(services: RevocationContext, userId: number, reason: RevocationReason = 'admin'): number {
  const now = epochSeconds(services.clock);
  const revokedFamilies: string[] = [];
  const revoked = services.store.transaction(() => {
    const families = services.store.tokens.activeFamilies(userId, now);
    for (const family of families) {
      if (services.store.tokens.revokeFamily(family.id, now, family.expiresAt)) revokedFamilies.push(family.id);
    }
    return families.length + services.store.tokens.revokeUnspentAuthTokens(userId, now);
  });
  for (const family of revokedFamilies) services.audit.record({ event: 'token.revoked', reason, family });
  services.revocations.refresh();
  return revoked;
}
