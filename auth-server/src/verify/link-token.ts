import type { Request, Response } from 'express';
import { queryToken, tokenSetCookie } from '../http/presented-token';
import type { RequestVerifier } from './verify-request';

/**
 * A link's `?token=` spent into the HttpOnly cookie, as /verify would for `pageUri`; the browser's
 * cookie is taken when the link's token no longer opens anything (already used in this browser).
 * False when neither does. SameSite: Lax where the browser may arrive from another site (an
 * OpenID Connect provider's redirect); a Strict cookie set then is not sent on the next redirect.
 */
export async function spendLinkToken(verifier: RequestVerifier, req: Request, res: Response, pageUri: string, sameSite: 'strict' | 'lax'): Promise<boolean> {
  const token = queryToken(req.originalUrl) ?? '';
  const result = await verifier.verify({ originalUri: `${pageUri}?token=${encodeURIComponent(token)}`, cookie: req.get('cookie') });
  if (result.status !== 204) return false;
  if (result.cookieToken) res.append('Set-Cookie', tokenSetCookie(result.cookieToken.value, result.cookieToken.maxAge, sameSite));
  return true;
}
