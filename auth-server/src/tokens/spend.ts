import { epochSeconds } from '../clock';
import type { Services } from '../services';
import type { UserRecord } from '../store/store';
import type { AuthTokenClaims } from './claims';
import { issueAccessToken, openTokenFamily } from './issue';

/**
 * Spends an explorer link's auth token, already decoded by the caller, for an access token alone:
 * it goes into an HttpOnly cookie, so no refresh token is made. Undefined when the token is spent,
 * revoked or expired, or was made for a viewer (an audience other than the PACS's own origin).
 */
export async function spendAuthTokenForAccess(services: Services, claims: AuthTokenClaims): Promise<{ accessToken: string; user: UserRecord } | undefined> {
  // A token issued to a viewer may only be exchanged by that viewer, never opened as a link here.
  if (claims.aud !== undefined && claims.aud !== new URL(services.config.publicUrl).origin) return undefined;
  const now = epochSeconds(services.clock);
  return services.store.transaction(async (tx) => {
    if ((await tx.tokens.spend(claims.jti, 'auth', now)) !== 'spent') return undefined;
    const user = await tx.users.findById(Number(claims.sub));
    if (!user) return undefined;
    const family = await openTokenFamily(services, tx.tokens, user, null, now);
    services.audit.record({ event: 'token.exchanged', jti: claims.jti, family, username: user.username, via: 'explorer-link' });
    return { accessToken: issueAccessToken(services, user, family, null, now), user };
  });
}
