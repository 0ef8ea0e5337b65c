import { Router } from 'express';
import { Unauthorized } from '../errors';
import { servesPages } from '../http/error-handler';
import type { RequestVerifier } from '../verify/verify-request';
import { TOKEN_COOKIE } from '../verify/verify-request';

/**
 * `GET /explorer?token=<auth token>`: the link the /token page shows. Spends the token into an
 * HttpOnly cookie and sends the browser to Orthanc Explorer, so the token leaves the address bar.
 */
export function explorerRoutes(verifier: RequestVerifier, publicUrl: string): Router {
  const router = Router();
  router.get('/explorer', servesPages, (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const result = verifier.verify({ originalUri: `/app/explorer.html?token=${encodeURIComponent(token)}`, cookie: req.get('cookie') });
    if (result.status !== 204) throw new Unauthorized('This explorer link has expired or was already used in another browser. Ask your administrator for a new one.');
    if (result.cookieToken) {
      res.cookie(TOKEN_COOKIE, result.cookieToken.value, { httpOnly: true, secure: true, sameSite: 'strict', path: '/', maxAge: result.cookieToken.maxAge * 1000 });
    }
    res.redirect(303, `${publicUrl}/app/explorer.html`);
  });
  return router;
}
