import { randomUUID } from 'node:crypto';
import type { IssuedKind } from '../audit/events';
import type { UserRecord } from '../store/store';
import type { UserClaims } from './claims';
import type { TokenContext } from './context';

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
function auditIssued(ctx: TokenContext, kind: IssuedKind, jti: string, user: UserRecord, family: string | undefined, audience: string | null | undefined): void {
  ctx.audit.record({ event: 'token.issued', kind, jti, username: user.username, ...(family && { family }), ...(audience && { audience }) });
}

/** A one-off token: recorded by id so its first exchange can spend it. */
export function issueAuthToken(ctx: TokenContext, user: UserRecord, now: number, audience?: string): string {
  const jti = randomUUID();
  const exp = now + ctx.config.ttl.authToken;
  ctx.store.tokens.recordIssued({ jti, kind: 'auth', userId: user.id, familyId: null, expiresAt: exp }, now);
  const { publicUrl, issuer } = ctx.config;
  const token = ctx.codec.sign<'auth'>({
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
  auditIssued(ctx, 'auth', jti, user, undefined, audience);
  return token;
}

export function issueAccessToken(ctx: TokenContext, user: UserRecord, familyId: string, audience: string | null, now: number): string {
  const jti = randomUUID();
  const token = ctx.codec.sign<'access'>({
    type: 'access',
    jti,
    sub: String(user.id),
    fam: familyId,
    iss: ctx.config.issuer,
    iat: now,
    exp: now + ctx.config.ttl.accessToken,
    ...userClaims(user),
    ...audienceClaim(audience),
  });
  auditIssued(ctx, 'access', jti, user, familyId, audience);
  return token;
}

/** A fresh access token and a recorded refresh token in `familyId`, which must exist. */
export function issueTokenPair(ctx: TokenContext, user: UserRecord, familyId: string, audience: string | null, now: number): TokenPair {
  const jti = randomUUID();
  const exp = now + ctx.config.ttl.refreshToken;
  ctx.store.tokens.recordIssued({ jti, kind: 'refresh', userId: user.id, familyId, expiresAt: exp }, now);
  ctx.store.tokens.extendFamily(familyId, Math.max(exp, now + ctx.config.ttl.accessToken));
  const refreshToken = ctx.codec.sign<'refresh'>({
    type: 'refresh',
    jti,
    sub: String(user.id),
    fam: familyId,
    iss: ctx.config.issuer,
    iat: now,
    exp,
    ...audienceClaim(audience),
  });
  auditIssued(ctx, 'refresh', jti, user, familyId, audience);
  return { accessToken: issueAccessToken(ctx, user, familyId, audience, now), refreshToken };
}

/** Opens a new token family (one sign-in); `withRefresh` false gives an access token alone (explorer links). */
export function openTokenFamily(ctx: TokenContext, user: UserRecord, audience: string | null, now: number): string {
  const id = randomUUID();
  ctx.store.tokens.createFamily({ id, userId: user.id, audience, expiresAt: now + ctx.config.ttl.accessToken }, now);
  return id;
}

