import type { RefusalReason } from '../audit/events';
import { epochSeconds } from '../clock';
import { authorizationToken, cookieToken, queryToken } from '../http/presented-token';
import type { AllowedOrigins } from '../origins/allowed-origins';
import { fakesMethod, isWrite } from '../pacs-routes/read-posts';
import type { Services } from '../services';
import type { AuthTokenClaims, ClaimsByType, TokenType } from '../tokens/claims';
import type { TokenFailure } from '../tokens/codec';
import { presentable, type PresentedClaims } from '../tokens/presented';
import { hasUnstrippableTokenKey } from '../tokens/query-token-key';
import { spendAuthTokenForAccess } from '../tokens/spend';
import type { Refusal } from './refusal';
import { RefusedTokens } from './refused-tokens';
import type { ScopedClaims, ScopedRequests } from './scoped-requests';
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

/**
 * An allow; `tokenExpiresAt` (epoch seconds) bounds how long Nginx's auth cache may reuse it;
 * `scoped`: it holds for this URI only (Nginx's cache must key it by URI).
 */
/** `share`: the id of the link a scoped token came from (its `fam`), for the audit lines of link visitors. */
export type VerifyResult = { status: 204; username: string; tokenExpiresAt: number; scoped?: true; share?: string; cookieToken?: { value: string; maxAge: number } } | Refusal;

/** A scoped token's request may wait on one Orthanc lookup; every other answer is immediate. */
export type VerifyOutcome = VerifyResult | Promise<VerifyResult>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Made once: refusing a flood of bad tokens allocates nothing per request. */
const refusal = (status: 401 | 403, reason: RefusalReason): Refusal => Object.freeze({ status, reason });
const NO_TOKEN = refusal(401, 'no-token');
const REVOKED = refusal(401, 'revoked');
const WRONG_AUDIENCE = refusal(401, 'wrong-audience');
const QUERY_TOKEN_UNUSABLE = refusal(401, 'query-token-unusable');
const QUERY_TOKEN_SPELLING = refusal(401, 'query-token-spelling');
const UNTRUSTED_ORIGIN = refusal(403, 'untrusted-origin');
/** A share link with a PIN opens only through its PIN page. */
const PIN_REQUIRED = refusal(401, 'pin-required');
const DECODE_FAILURES: Record<TokenFailure, Refusal> = {
  malformed: refusal(401, 'malformed'),
  expired: refusal(401, 'expired'),
  invalid: refusal(401, 'invalid'),
};

type AnyClaims = ClaimsByType[TokenType];

/** Claims objects come from our own signed tokens and never carry `reason`. */
const isRefusal = (value: AnyClaims | Refusal): value is Refusal => 'reason' in value;
const isScoped = (claims: PresentedClaims): claims is ScopedClaims => claims.scope !== undefined;
/** An access token's refusals keep their reason; anything else in `?token=` is just unusable there. */
const inQuery = (refusal: Refusal): Refusal => (refusal === DECODE_FAILURES.invalid ? QUERY_TOKEN_UNUSABLE : refusal);

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
  private readonly refused = new RefusedTokens();

  constructor(
    private readonly services: Services,
    private readonly allowedOrigins: AllowedOrigins,
    private readonly scopedRequests: ScopedRequests,
  ) {
    this.pacsOrigin = new URL(services.config.publicUrl).origin;
  }

  verify(input: VerifyInput): VerifyOutcome {
    // Whatever token decides, one Nginx could not strip must not ride on to Orthanc (Nginx refuses it first).
    if (hasUnstrippableTokenKey(input.originalUri)) return QUERY_TOKEN_SPELLING;
    const method = (input.originalMethod || 'GET').toUpperCase();
    const uri = input.originalUri ?? '';
    // A request that sends the header is decided by it: a bad header token is not retried from the cookie.
    if (input.authorization) {
      const fromHeader = authorizationToken(input.authorization);
      return fromHeader ? this.allow(this.accessClaims(fromHeader, input.origin), method, uri) : NO_TOKEN;
    }

    const fromQuery = queryToken(input.originalUri);
    if (!fromQuery) return this.grantFromCookie(input, method, uri, undefined);
    const granted = this.grantFromQuery(fromQuery, input.origin, method, uri);
    // Spending an explorer link waits for the database; a link that cannot be spent still lets the cookie decide.
    if (granted instanceof Promise) return granted.then((result) => (result.status === 401 ? this.grantFromCookie(input, method, uri, result) : result));
    return granted.status === 401 ? this.grantFromCookie(input, method, uri, granted) : granted;
  }

  private grantFromCookie(input: VerifyInput, method: string, uri: string, queryRefusal: Refusal | undefined): VerifyOutcome {
    const fromCookie = cookieToken(input.cookie);
    if (!fromCookie) return queryRefusal ?? NO_TOKEN;
    // A cookie rides along with cross-site requests too: what might write must come from a page we trust.
    const mayWrite = !SAFE_METHODS.has(method) || (method === 'GET' && fakesMethod(uri));
    if (mayWrite && !this.trustedPage(input.origin ?? originOf(input.referer))) return UNTRUSTED_ORIGIN;
    return this.allow(this.accessClaims(fromCookie, input.origin), method, uri);
  }

  private grantFromQuery(token: string, origin: string | undefined, method: string, uri: string): VerifyOutcome {
    const now = epochSeconds(this.services.clock);
    const claims = this.decoded(token, now);
    if (isRefusal(claims)) return inQuery(claims);
    // An explorer link's auth token (the original's README told admins to open links this way).
    if (claims.type === 'auth') return this.spendExplorerLink(token, claims, method, uri, now);
    const access = this.checkedAccess(claims, origin);
    if (isRefusal(access)) return inQuery(access);
    const withCookie = (result: VerifyResult): VerifyResult =>
      result.status === 204 ? { ...result, cookieToken: { value: token, maxAge: Math.max(0, access.exp - now) } } : result;
    const outcome = this.allow(access, method, uri);
    return outcome instanceof Promise ? outcome.then(withCookie) : withCookie(outcome);
  }

  private async spendExplorerLink(token: string, claims: AuthTokenClaims, method: string, uri: string, now: number): Promise<VerifyResult> {
    const spent = await spendAuthTokenForAccess(this.services, claims);
    // Tried once, for good (spent now, before, or never spendable here): from now on a lookup refuses it.
    this.verified.forget(token);
    this.refused.remember(token, DECODE_FAILURES.invalid);
    if (!spent) return QUERY_TOKEN_UNUSABLE;
    const { user, accessToken } = spent;
    if (!user.canEditResource && isWrite(method, uri)) return { status: 403, reason: 'read-only', username: user.username };
    const { accessToken: ttl } = this.services.config.ttl;
    return { status: 204, username: user.username, tokenExpiresAt: now + ttl, cookieToken: { value: accessToken, maxAge: ttl } };
  }

  private accessClaims(token: string, origin: string | undefined): PresentedClaims | Refusal {
    const claims = this.decoded(token, epochSeconds(this.services.clock));
    return isRefusal(claims) ? claims : this.checkedAccess(claims, origin);
  }

  /** Only an access token (or a share link's without PIN) opens the PACS, unrevoked, and from its viewer's pages when it names one. */
  private checkedAccess(decoded: AnyClaims, origin: string | undefined): PresentedClaims | Refusal {
    const claims = presentable(decoded);
    if (claims === 'invalid') return DECODE_FAILURES.invalid;
    if (claims === 'pin-required') return PIN_REQUIRED;
    // A revoked link's visitors are named by the link: the audit then tells which one keeps knocking.
    if (this.services.revocations.has(claims.fam)) return isScoped(claims) ? { ...REVOKED, share: claims.fam } : REVOKED;
    // A token issued to one viewer is refused when another site's page presents it.
    if (claims.aud !== undefined && origin !== undefined && origin !== claims.aud && origin !== this.pacsOrigin) return WRONG_AUDIENCE;
    return claims;
  }

  /**
   * The claims of a token of ours, whatever its type, signature, issuer and lifetime checked. One
   * RSA verification per token text: later presentations are answered from the two memos.
   */
  private decoded(token: string, now: number): AnyClaims | Refusal {
    const known = this.verified.get(token) ?? this.refused.get(token);
    if (known) return isRefusal(known) || known.exp > now ? known : DECODE_FAILURES.expired;
    const decoded = this.services.codec.decodeAny(token, now);
    if (!decoded.ok) {
      const refusal = DECODE_FAILURES[decoded.failure];
      // `malformed` includes an unknown key id, which a key rotated in by another process may yet answer.
      if (decoded.failure !== 'malformed') this.refused.remember(token, refusal);
      return refusal;
    }
    this.verified.remember(token, decoded.claims);
    return decoded.claims;
  }

  /**
   * The write question is asked only of a token without edit rights: an editor's request is never
   * parsed. A scoped token's request is decided by its scope alone (the read-POST table does not widen it).
   */
  private allow(claims: PresentedClaims | Refusal, method: string, uri: string): VerifyOutcome {
    if (isRefusal(claims)) return claims;
    if (isScoped(claims)) return this.scopedRequests.decide(claims, method, uri);
    if (!claims.canEditResource && isWrite(method, uri)) return { status: 403, reason: 'read-only', username: claims.username };
    return { status: 204, username: claims.username, tokenExpiresAt: claims.exp };
  }

  private trustedPage(origin: string | undefined): boolean {
    return origin === this.pacsOrigin || this.allowedOrigins.matches(origin);
  }
}
