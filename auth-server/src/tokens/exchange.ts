import { epochSeconds } from '../clock';
import { InvalidToken, TokenExpired } from '../errors';
import type { Services } from '../services';
import type { UserRecord } from '../store/store';
import type { ClaimsByType, TokenType } from './claims';
import { issueTokenPair, openTokenFamily, type TokenPair } from './issue';
import { revokeFamily } from './revoke';

function decodeForExchange<T extends TokenType>(services: Services, token: string, type: T, origin: string | undefined, now: number): ClaimsByType[T] {
  const decoded = services.codec.decode(token, type, now);
  if (!decoded.ok) throw decoded.failure === 'expired' ? new TokenExpired() : new InvalidToken();
  // A token issued to a viewer may only be exchanged by that viewer's pages.
  if (decoded.claims.aud !== undefined && decoded.claims.aud !== origin) throw new InvalidToken();
  return decoded.claims;
}

function userOf(services: Services, claims: { sub: string }): UserRecord {
  const user = services.store.users.findById(Number(claims.sub));
  if (!user) throw new InvalidToken();
  return user;
}

/** Spends a one-off auth token for an access + refresh pair; of concurrent attempts exactly one wins. */
export function exchangeAuthToken(services: Services, token: string, origin: string | undefined): TokenPair {
  const now = epochSeconds(services.clock);
  const claims = decodeForExchange(services, token, 'auth', origin, now);
  return services.store.transaction(() => {
    if (services.store.tokens.spend(claims.jti, 'auth', now) !== 'spent') throw new InvalidToken();
    const user = userOf(services, claims);
    const audience = claims.aud ?? null;
    const family = openTokenFamily(services, user, audience, now);
    services.audit.record({ event: 'token.exchanged', jti: claims.jti, family, username: user.username, via: 'api' });
    return issueTokenPair(services, user, family, audience, now);
  });
}

/** Rotates a refresh token; presenting a spent one again revokes its whole family (theft detection). */
export function refreshTokenPair(services: Services, token: string, origin: string | undefined): TokenPair {
  const now = epochSeconds(services.clock);
  const claims = decodeForExchange(services, token, 'refresh', origin, now);
  if (services.revocations.has(claims.fam)) throw new InvalidToken();
  const outcome = services.store.transaction(() => {
    const spent = services.store.tokens.spend(claims.jti, 'refresh', now);
    if (spent !== 'spent') return spent;
    return issueTokenPair(services, userOf(services, claims), claims.fam, claims.aud ?? null, now);
  });
  if (outcome === 'reused') revokeFamily(services, claims.fam, 'refresh-reuse');
  if (typeof outcome === 'string') throw new InvalidToken();
  services.audit.record({ event: 'token.refreshed', jti: claims.jti, family: claims.fam });
  return outcome;
}
