import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VerifyAuditor } from '../audit/verify-auditor';
import { NO_STORE, type VerifyCacheControl } from './cache-control';
import { tokenSetCookie } from '../http/presented-token';
import type { RequestVerifier, VerifyInput } from './verify-request';

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function readVerifyInput(req: IncomingMessage): VerifyInput {
  return {
    authorization: header(req, 'authorization'),
    cookie: header(req, 'cookie'),
    originalUri: header(req, 'x-original-uri'),
    // Nginx's auth subrequest carries the original method too: the fallback if the header is missing.
    originalMethod: header(req, 'x-original-method') ?? req.method,
    origin: header(req, 'origin'),
    referer: header(req, 'referer'),
  };
}

/**
 * `GET /verify` for Nginx auth_request, served outside Express: no helmet, session or body parser.
 * Replies carry no body (Nginx's subrequest is fastest with Content-Length 0).
 */
export function createVerifyHandler(verifier: RequestVerifier, auditor: VerifyAuditor, cacheControl: VerifyCacheControl) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const input = readVerifyInput(req);
    const result = verifier.verify(input);
    // Only a plain allow may be cached by Nginx: an answer that sets a cookie must reach the browser each time.
    res.setHeader('Cache-Control', result.status === 204 && !result.cookieToken ? cacheControl.forAllowed(result.tokenExpiresAt) : NO_STORE);
    if (result.status === 204) {
      auditor.allowed(input, result.username);
      res.setHeader('X-Auth-Request-User', result.username);
      if (result.cookieToken) res.setHeader('Set-Cookie', tokenSetCookie(result.cookieToken.value, result.cookieToken.maxAge));
    } else {
      auditor.refused(input, result);
      res.setHeader('Content-Length', '0');
    }
    res.writeHead(result.status);
    res.end();
  };
}
