import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { BadRequest, HttpError } from '../errors';
import { oneLevelDown } from '../http/asset-base';
import { servesPages } from '../http/error-handler';
import { tokenSetCookie } from '../http/presented-token';
import { countAsFailedAttempt } from '../http/rate-limit';
import type { ShareDeps } from './deps';
import { type BrowserToken, checkLink, type LinkProblem, openLink, PinChecker, type Visitor } from './open-link';
import { PIN_LOCK_AT, viewerPath } from './rules';
import { pinField } from './schemas';

const PROBLEMS: Record<LinkProblem, HttpError> = {
  invalid: new HttpError(400, 'This link is not valid. Check that it was copied whole.'),
  expired: new HttpError(410, 'This link has expired. Ask the person who shared it for a new one.'),
  revoked: new HttpError(410, 'This link has been withdrawn. Ask the person who shared it for a new one.'),
  locked: new HttpError(403, 'This link is locked after too many wrong PINs. Ask the person who shared it to unlock it.'),
};

const pinForm = z.strictObject({ _csrf: z.string(), token: z.string().min(1).max(8192), pin: z.string().max(64) });

const visitorOf = (req: Request): Visitor => ({ ip: req.ip, userAgent: req.get('user-agent') });

/** The browser keeps the scoped token in a cookie and lands on the viewer: no token in any URL from here on. */
function land(res: Response, browser: BrowserToken, studies: string[]): void {
  res.append('Set-Cookie', tokenSetCookie(browser.token, browser.maxAge, 'lax'));
  res.redirect(303, viewerPath(studies));
}

/**
 * `GET /open/<token>`: a link without a PIN lands at once; with one, a PIN page that says nothing of
 * the study. The PIN form posts the token in its body to `/open`, and the page's script replaces its
 * history entry with `/open`, so the token leaves the address bar and the back button.
 */
export function openRoutes(deps: ShareDeps): Router {
  const { services, csrf, hasher, pinLimit } = deps;
  const pins = new PinChecker(services, hasher);
  const router = Router();

  const renderPin = (req: Request, res: Response, token: string, view: { status?: number; error?: string } = {}) =>
    res.status(view.status ?? 200).render('share-pin', { csrfToken: csrf.token(req, res), token, error: view.error });

  router.get('/open/:token', servesPages, oneLevelDown, async (req, res) => {
    const state = await checkLink(services, String(req.params.token));
    if (!state.ok) throw PROBLEMS[state.problem];
    if (state.claims.pin) return renderPin(req, res, String(req.params.token));
    land(res, await openLink(services, state.claims, visitorOf(req)), state.claims.scope);
  });

  // The PIN page's own address once its script has forgotten the token: reloaded, or reached by the back button.
  router.get('/open', servesPages, () => {
    throw new BadRequest('Open the link you were given again.');
  });

  router.post('/open', servesPages, pinLimit, csrf.protect, async (req, res) => {
    const parsed = pinForm.safeParse(req.body);
    if (!parsed.success) throw new BadRequest('This form is incomplete. Open the link again.');
    const { token, pin } = parsed.data;
    const state = await checkLink(services, token);
    if (!state.ok) throw PROBLEMS[state.problem];
    if (state.claims.pin) {
      if (!pinField.safeParse(pin).success) return renderPin(req, res, token, { status: 400, error: 'Enter the PIN: 4 to 12 digits.' });
      const outcome = await pins.check(state.link.id, pin, req.ip);
      // A wrong PIN counts against this address too, whichever link it was tried on.
      if (outcome !== 'right') countAsFailedAttempt(res);
      if (outcome === 'locked') throw PROBLEMS.locked;
      if (outcome === 'wrong') return renderPin(req, res, token, { status: 401, error: `Wrong PIN. After ${PIN_LOCK_AT} wrong PINs the link locks.` });
    }
    land(res, await openLink(services, state.claims, visitorOf(req)), state.claims.scope);
  });

  return router;
}
