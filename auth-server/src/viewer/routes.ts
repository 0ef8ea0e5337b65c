import { Router } from 'express';
import { servesPages } from '../http/error-handler';
import { spendLinkToken } from '../verify/link-token';
import type { RequestVerifier } from '../verify/verify-request';
import { VIEWER_ROOT, viewerPage } from './viewer-page';

/**
 * `GET /viewer/<page>?token=<token>&…`: where sign-in sends a browser back to the viewer, and
 * where Nginx sends any viewer URL carrying a token. The token is spent into the HttpOnly cookie
 * and the browser goes on to the same viewer page without it: OHIF must never hold a token (it
 * would send it as Bearer, and a spent one-off token opens nothing). Without a usable token or
 * cookie the browser is sent to sign in, and back here.
 */
export function viewerRoutes(verifier: RequestVerifier, publicUrl: string): Router {
  const router = Router();
  router.get('/viewer{/*page}', servesPages, async (req, res) => {
    const page = viewerPage(req.originalUrl);
    if (await spendLinkToken(verifier, req, res, VIEWER_ROOT, 'lax')) return res.redirect(303, `${publicUrl}${page}`);
    res.redirect(303, `${publicUrl}/auth/sign-in?return_uri=${encodeURIComponent(`${publicUrl}/auth${page}`)}`);
  });
  return router;
}
