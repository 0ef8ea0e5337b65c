import { epochSeconds } from '../clock';
import type { AllowedOrigins } from '../origins/allowed-origins';
import type { AccessTokenClaims } from '../tokens/claims';
import type { TokenContext } from '../tokens/context';
import { spendAuthTokenForAccess } from '../tokens/spend';
import { VerifiedTokens } from './verified-tokens';

/** What Nginx's auth_request subrequest tells us about the original request. */
export interface VerifyInput {
  authorization?: string;
  cookie?: string;
  originalUri?: string;
  originalMethod?: string;
  origin?: string;
  referer?: string;
}

export type VerifyResult =
  | { status: 204; username: string; cookieToken?: { value: string; maxAge: number } }
  | { status: 401 | 403 };

export const TOKEN_COOKIE = 'pacsgate_token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const DENIED = { status: 401 } as const;
const FORBIDDEN = { status: 403 } as const;

function bearer(authorization: string): string {
  return authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : authorization.trim();
}

function queryToken(uri: string | undefined): string | null {
  const start = uri?.indexOf('?') ?? -1;
  if (start < 0) return null;
  return new URLSearchParams((uri as string).slice(start + 1)).get('token') || null;
}

function cookieToken(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const originOf = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** Decides one PACS request. Denials are return values: this runs for every image a viewer loads. */
export class RequestVerifier {
  private readonly pacsOrigin: string;
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly ctx: TokenContext,
    private readonly allowedOrigins: AllowedOrigins,
  ) {
    this.pacsOrigin = new URL(ctx.config.publicUrl).origin;
  }

  verify(input: VerifyInput): VerifyResult {
    const write = !SAFE_METHODS.has((input.originalMethod || 'GET').toUpperCase());
    if (input.authorization) return this.allow(this.accessClaims(bearer(input.authorization), input.origin), write);

    const fromQuery = queryToken(input.originalUri);
    if (fromQuery) {
      const granted = this.grantFromQuery(fromQuery, input.origin, write);
      if (granted.status !== 401) return granted;
    }

    const fromCookie = cookieToken(input.cookie);
    if (!fromCookie) return DENIED;
    // A cookie rides along with cross-site requests too: writes must come from a page we trust.
    if (write && !this.trustedPage(input.origin ?? originOf(input.referer))) return FORBIDDEN;
    return this.allow(this.accessClaims(fromCookie, input.origin), write);
  }

  private grantFromQuery(token: string, origin: string | undefined, write: boolean): VerifyResult {
    const claims = this.accessClaims(token, origin);
    if (claims) {
      const result = this.allow(claims, write);
      return result.status === 204 ? { ...result, cookieToken: { value: token, maxAge: this.remaining(claims.exp) } } : result;
    }
    const spent = spendAuthTokenForAccess(this.ctx, token);
    if (!spent) return DENIED;
    const { user, accessToken } = spent;
    if (write && !user.canEditResource) return FORBIDDEN;
    return { status: 204, username: user.username, cookieToken: { value: accessToken, maxAge: this.ctx.config.ttl.accessToken } };
  }

  private accessClaims(token: string, origin: string | undefined): AccessTokenClaims | undefined {
    const now = epochSeconds(this.ctx.clock);
    const claims = this.verified.get(token) ?? this.decodeAccess(token, now);
    if (!claims || claims.exp <= now || this.ctx.revocations.has(claims.fam)) return undefined;
    // A token issued to one viewer is refused when another site's page presents it.
    if (claims.aud !== undefined && origin !== undefined && origin !== claims.aud && origin !== this.pacsOrigin) return undefined;
    return claims;
  }

  private decodeAccess(token: string, now: number): AccessTokenClaims | undefined {
    const decoded = this.ctx.codec.decode(token, 'access', now);
    if (!decoded.ok) return undefined;
    this.verified.remember(token, decoded.claims);
    return decoded.claims;
  }

  private allow(claims: AccessTokenClaims | undefined, write: boolean): VerifyResult {
    if (!claims) return DENIED;
    if (write && !claims.canEditResource) return FORBIDDEN;
    return { status: 204, username: claims.username };
  }

  private trustedPage(origin: string | undefined): boolean {
    return origin === this.pacsOrigin || this.allowedOrigins.matches(origin);
  }

  private remaining(exp: number): number {
    return Math.max(0, exp - epochSeconds(this.ctx.clock));
  }
}
