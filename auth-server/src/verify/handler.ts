import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestVerifier, TOKEN_COOKIE, type VerifyInput } from './verify-request';

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function readVerifyInput(req: IncomingMessage): VerifyInput {
  return {
    authorization: header(req, 'authorization'),
    cookie: header(req, 'cookie'),
    originalUri: header(req, 'x-original-uri'),
    originalMethod: header(req, 'x-original-method'),
    origin: header(req, 'origin'),
    referer: header(req, 'referer'),
  };
}

/**
 * `GET /verify` for Nginx auth_request, served outside Express: no helmet, session or body parser.
 * Replies carry no body (Nginx's subrequest is fastest with Content-Length 0).
 */
export function createVerifyHandler(verifier: RequestVerifier) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const result = verifier.verify(readVerifyInput(req));
    res.setHeader('Cache-Control', 'no-store');
    if (result.status === 204) {
      res.setHeader('X-Auth-Request-User', result.username);
      if (result.cookieToken) {
        const { value, maxAge } = result.cookieToken;
        res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${value}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=${maxAge}`);
      }
    } else {
      res.setHeader('Content-Length', '0');
    }
    res.writeHead(result.status);
    res.end();
  };
}
