import { epochSeconds } from '../clock';
import { InvalidToken, TokenExpired } from '../errors';
import type { Services } from '../services';
import type { UserRepository, UserRecord } from '../store/store';
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

async function userOf(users: UserRepository, claims: { sub: string }): Promise<UserRecord> {
  const user = await users.findById(Number(claims.sub));
  if (!user) throw new InvalidToken();
  return user;
}

/** Spends a one-off auth token for an access + refresh pair; of concurrent attempts exactly one wins. */
export async function exchangeAuthToken(services: Services, token: string, origin: string | undefined): Promise<TokenPair> {
  const now = epochSeconds(services.clock);
  const claims = decodeForExchange(services, token, 'auth', origin, now);
  return services.store.transaction(async (tx) => {
    if ((await tx.tokens.spend(claims.jti, 'auth', now)) !== 'spent') throw new InvalidToken();
    const user = await userOf(tx.users, claims);
    const audience = claims.aud ?? null;
    const family = await openTokenFamily(services, tx.tokens, user, audience, now);
    services.audit.record({ event: 'token.exchanged', jti: claims.jti, family, username: user.username, via: 'api' });
    return issueTokenPair(services, tx.tokens, user, family, audience, now);
  });
}

/** Rotates a refresh token; presenting a spent one again revokes its whole family (theft detection). */
export async function refreshTokenPair(services: Services, token: string, origin: string | undefined): Promise<TokenPair> {
  const now = epochSeconds(services.clock);
  const claims = decodeForExchange(services, token, 'refresh', origin, now);
  if (services.revocations.has(claims.fam)) throw new InvalidToken();
  const outcome = await services.store.transaction(async (tx) => {
    const spent = await tx.tokens.spend(claims.jti, 'refresh', now);
    if (spent !== 'spent') return spent;
    return issueTokenPair(services, tx.tokens, await userOf(tx.users, claims), claims.fam, claims.aud ?? null, now);
  });
  if (outcome === 'reused') await revokeFamily(services, claims.fam, 'refresh-reuse');
  if (typeof outcome === 'string') throw new InvalidToken();
  services.audit.record({ event: 'token.refreshed', jti: claims.jti, family: claims.fam });
  return outcome;
}
