import { randomUUID } from 'node:crypto';
import type { IssuedKind } from '../audit/events';
import type { Services } from '../services';
import type { TokenRepository, UserRecord } from '../store/store';
import type { UserClaims } from './claims';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

const userClaims = (user: UserRecord): UserClaims => ({
  name: user.name,
  username: user.username,
  canEditResource: user.canEditResource,
});

const audienceClaim = (audience: string | null | undefined) => (audience ? { aud: audience } : {});

/** The audit line of every token made: its id, never the token. */
function auditIssued(services: Services, kind: IssuedKind, jti: string, user: UserRecord, family: string | undefined, audience: string | null | undefined): void {
  services.audit.record({ event: 'token.issued', kind, jti, username: user.username, ...(family && { family }), ...(audience && { audience }) });
}

/** A one-off token: recorded by id so its first exchange can spend it. */
export async function issueAuthToken(services: Services, user: UserRecord, now: number, audience?: string): Promise<string> {
  const jti = randomUUID();
  const exp = now + services.config.ttl.authToken;
  await services.store.tokens.recordIssued({ jti, kind: 'auth', userId: user.id, familyId: null, expiresAt: exp }, now);
  const { publicUrl, issuer } = services.config;
  const token = services.codec.sign<'auth'>({
    type: 'auth',
    jti,
    sub: String(user.id),
    iss: issuer,
    iat: now,
    exp,
    ...userClaims(user),
    tokenServer: `${publicUrl}/auth/generate-access-token`,
    refreshServer: `${publicUrl}/auth/refresh-token`,
    pacs: `${publicUrl}/dicom-web`,
    ...audienceClaim(audience),
  });
  auditIssued(services, 'auth', jti, user, undefined, audience);
  return token;
}

export function issueAccessToken(services: Services, user: UserRecord, familyId: string, audience: string | null, now: number): string {
  const jti = randomUUID();
  const token = services.codec.sign<'access'>({
    type: 'access',
    jti,
    sub: String(user.id),
    fam: familyId,
    iss: services.config.issuer,
    iat: now,
    exp: now + services.config.ttl.accessToken,
    ...userClaims(user),
    ...audienceClaim(audience),
  });
  auditIssued(services, 'access', jti, user, familyId, audience);
  return token;
}

/** A fresh access token and a recorded refresh token in `familyId`, which must exist; `tokens` may be a transaction's. */
export async function issueTokenPair(services: Services, tokens: TokenRepository, user: UserRecord, familyId: string, audience: string | null, now: number): Promise<TokenPair> {
  const jti = randomUUID();
  const exp = now + services.config.ttl.refreshToken;
  await tokens.recordIssued({ jti, kind: 'refresh', userId: user.id, familyId, expiresAt: exp }, now);
  await tokens.extendFamily(familyId, Math.max(exp, now + services.config.ttl.accessToken));
  const refreshToken = services.codec.sign<'refresh'>({
    type: 'refresh',
    jti,
    sub: String(user.id),
    fam: familyId,
    iss: services.config.issuer,
    iat: now,
    exp,
    ...audienceClaim(audience),
  });
  auditIssued(services, 'refresh', jti, user, familyId, audience);
  return { accessToken: issueAccessToken(services, user, familyId, audience, now), refreshToken };
}

/** Opens a new token family (one sign-in, or one opened explorer link) and returns its id; `tokens` may be a transaction's. */
export async function openTokenFamily(services: Services, tokens: TokenRepository, user: UserRecord, audience: string | null, now: number): Promise<string> {
  const id = randomUUID();
  await tokens.createFamily({ id, userId: user.id, audience, expiresAt: now + services.config.ttl.accessToken }, now);
  return id;
}

