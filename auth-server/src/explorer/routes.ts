import { Router } from 'express';
import { Unauthorized } from '../errors';
import { servesPages } from '../http/error-handler';
import { spendLinkToken } from '../verify/link-token';
import type { RequestVerifier } from '../verify/verify-request';

/**
 * `GET /explorer?token=<auth token>`: the link the /token page shows. Spends the token into an
 * HttpOnly cookie and sends the browser to Orthanc Explorer, so the token leaves the address bar.
 */
export function explorerRoutes(verifier: RequestVerifier, publicUrl: string): Router {
  const router = Router();
  router.get('/explorer', servesPages, async (req, res) => {
    if (!(await spendLinkToken(verifier, req, res, '/app/explorer.html', 'strict'))) {
      throw new Unauthorized('This explorer link has expired or was already used in another browser. Ask your administrator for a new one.');
    }
    res.redirect(303, `${publicUrl}/app/explorer.html`);
  });
  return router;
}
