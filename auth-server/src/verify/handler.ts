import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VerifyAuditor } from '../audit/verify-auditor';
import type { VerifyMeter } from '../metrics/verify-meter';
import { NO_STORE, SCOPED_ALLOW_HEADER, type VerifyCacheControl } from './cache-control';
import { tokenSetCookie } from '../http/presented-token';
import type { RequestVerifier, VerifyInput, VerifyResult } from './verify-request';

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
 * Replies carry no body (Nginx's subrequest is fastest with Content-Length 0). Only a scoped
 * token's request may wait (one Orthanc lookup); `failed` answers if that wait ends in an error.
 */
export function createVerifyHandler(
  verifier: RequestVerifier,
  auditor: VerifyAuditor,
  meter: VerifyMeter,
  cacheControl: VerifyCacheControl,
  failed: (error: unknown, res: ServerResponse) => void,
) {
  const answer = (input: VerifyInput, result: VerifyResult, res: ServerResponse, startedAt: number): void => {
    // Only a plain allow may be cached by Nginx: an answer that sets a cookie must reach the browser each time.
    res.setHeader('Cache-Control', result.status === 204 && !result.cookieToken ? cacheControl.forAllowed(result.tokenExpiresAt) : NO_STORE);
    if (result.status === 204) {
      auditor.allowed(input, result.username, result.share);
      res.setHeader('X-Auth-Request-User', result.username);
      if (result.scoped) res.setHeader(SCOPED_ALLOW_HEADER, '1');
      if (result.cookieToken) res.setHeader('Set-Cookie', tokenSetCookie(result.cookieToken.value, result.cookieToken.maxAge));
    } else {
      auditor.refused(input, result);
      res.setHeader('Content-Length', '0');
    }
    res.writeHead(result.status);
    res.end();
    meter.answered(result, startedAt);
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    const startedAt = performance.now();
    const input = readVerifyInput(req);
    const outcome = verifier.verify(input);
    if (outcome instanceof Promise) outcome.then((result) => answer(input, result, res, startedAt), (error: unknown) => failed(error, res));
    else answer(input, outcome, res, startedAt);
  };
}
