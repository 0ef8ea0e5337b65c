import { parseCookie, stringifySetCookie } from 'cookie';

/**
 * Where a request presents a token, read the same way by /verify, the exchange routes, /explorer
 * and /pacs-auth: the `Authorization` header, a `token` query parameter, the `pacsgate_token` cookie.
 */

export const TOKEN_COOKIE = 'pacsgate_token';

/** `Bearer` in any letter case (RFC 7235 schemes are case-insensitive), then spaces or tabs, or nothing more. */
const BEARER_SCHEME = /^bearer(?:[ \t]+|$)/i;

/**
 * The token of an `Authorization` value: `Bearer <token>` or, as the contract allows, the bare
 * token. Undefined when nothing is left (an absent header, or `Bearer` alone).
 */
export function authorizationToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  // The usual spelling first, without a regular expression: /verify reads this for every image.
  const token = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : authorization.trim().replace(BEARER_SCHEME, '');
  return token || undefined;
}

/** The first `token` query parameter of a URI (path and query, as Nginx's X-Original-URI). */
export function queryToken(uri: string | undefined): string | undefined {
  const start = uri?.indexOf('?') ?? -1;
  if (start < 0) return undefined;
  return new URLSearchParams((uri as string).slice(start + 1)).get('token') || undefined;
}

/** The `pacsgate_token` cookie of a `Cookie` header. */
export function cookieToken(cookieHeader: string | undefined): string | undefined {
  return cookieHeader ? parseCookie(cookieHeader)[TOKEN_COOKIE] || undefined : undefined;
}

/**
 * The `Set-Cookie` value that hands a browser an access token: HttpOnly so page scripts never see
 * it, SameSite=Strict so other sites' pages cannot send it, for the whole PACS host. Lax where the
 * browser arrives through a chain of redirects that began on another site (an OpenID Connect
 * provider, or a share link opened from a mail or chat): a Strict cookie set on the way is not sent on the redirect that follows. Writes with
 * a cookie need a trusted Origin whatever the SameSite (verify-request.ts).
 */
export function tokenSetCookie(token: string, maxAgeSeconds: number, sameSite: 'strict' | 'lax' = 'strict'): string {
  return stringifySetCookie(TOKEN_COOKIE, token, { httpOnly: true, secure: true, sameSite, path: '/', maxAge: maxAgeSeconds });
}
