import { Router } from 'express';
import { Unauthorized } from '../errors';
import { servesPages } from '../http/error-handler';
import { queryToken, tokenSetCookie } from '../http/presented-token';
import type { RequestVerifier } from '../verify/verify-request';

/**
 * `GET /explorer?token=<auth token>`: the link the /token page shows. Spends the token into an
 * HttpOnly cookie and sends the browser to Orthanc Explorer, so the token leaves the address bar.
 */
export function explorerRoutes(verifier: RequestVerifier, publicUrl: string): Router {
  const router = Router();
  router.get('/explorer', servesPages, (req, res) => {
    const token = queryToken(req.originalUrl) ?? '';
    const result = verifier.verify({ originalUri: `/app/explorer.html?token=${encodeURIComponent(token)}`, cookie: req.get('cookie') });
    if (result.status !== 204) throw new Unauthorized('This explorer link has expired or was already used in another browser. Ask your administrator for a new one.');
    if (result.cookieToken) res.append('Set-Cookie', tokenSetCookie(result.cookieToken.value, result.cookieToken.maxAge));
    res.redirect(303, `${publicUrl}/app/explorer.html`);
  });
  return router;
}
