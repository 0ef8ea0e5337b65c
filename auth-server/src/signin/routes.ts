import { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import { epochSeconds } from '../clock';
import { BadRequest } from '../errors';
import type { Csrf } from '../http/csrf';
import { servesPages } from '../http/error-handler';
import { countAsFailedAttempt } from '../http/rate-limit';
import { parseBody } from '../http/validate';
import type { AllowedOrigins } from '../origins/allowed-origins';
import type { Services } from '../services';
import type { UserRecord } from '../store/store';
import { issueAuthToken } from '../tokens/issue';
import { passwordField, usernameField } from '../users/fields';
import type { PasswordHasher } from '../users/passwords';
import { authenticateUser } from '../users/users';
import { parseSignInTarget, type SignInTarget, viewerRedirect } from './return-uri';

export interface SignInDeps {
  services: Services;
  hasher: PasswordHasher;
  csrf: Csrf;
  /** Where a sign-in may send the browser back to, and bind its token to: the viewers and the PACS itself. */
  signInTargets: AllowedOrigins;
  signInLimit: RequestHandler;
  /** Extra view data for the page (the OpenID Connect button). */
  pageExtras?: (target: SignInTarget) => Record<string, unknown>;
}

const signUserBody = z.strictObject({ username: usernameField, password: passwordField, referer: z.string().max(2048).optional() });
const signInForm = z.object({ _csrf: z.string(), username: z.string(), password: z.string(), return_uri: z.string(), response_type: z.string().optional() });
const credentials = z.object({ username: usernameField, password: passwordField });

/** The viewer's `response_type`, from the link (GET) or the form's hidden field (POST). */
function responseTypeOf(req: Request): string {
  const fromForm = (req.body as Record<string, unknown> | undefined)?.response_type;
  if (typeof req.query.response_type === 'string') return req.query.response_type;
  return typeof fromForm === 'string' ? fromForm : '';
}

export function signInRoutes(deps: SignInDeps): Router {
  const { services, hasher, csrf, signInTargets, signInLimit } = deps;
  const router = Router();

  const renderPage = (req: Request, res: Response, target: SignInTarget, extra: { status?: number; error?: string; username?: string } = {}) =>
    res.status(extra.status ?? 200).render('sign-in', {
      csrfToken: csrf.token(req, res),
      returnUri: target.returnUri.toString(),
      responseType: responseTypeOf(req),
      error: extra.error,
      username: extra.username ?? '',
      ...(deps.pageExtras?.(target) ?? {}),
    });

  const auditSignIn = (req: Request, via: 'page' | 'api', username: string | undefined, user: UserRecord | undefined) =>
    services.audit.record({ event: user ? 'sign-in.succeeded' : 'sign-in.failed', method: 'password', via, ip: req.ip, ...(username && { username }) });

  router.get('/sign-in', servesPages, (req, res) => renderPage(req, res, parseSignInTarget(signInTargets, req.query.return_uri, req.query.response_type)));

  router.post('/sign-in', servesPages, signInLimit, csrf.protect, async (req, res) => {
    const form = parseBody(signInForm, req.body);
    const target = parseSignInTarget(signInTargets, form.return_uri, form.response_type);
    const parsed = credentials.safeParse(form);
    const user = parsed.success ? await authenticateUser(services.store, hasher, parsed.data.username, parsed.data.password) : undefined;
    auditSignIn(req, 'page', parsed.success ? parsed.data.username : undefined, user);
    if (parsed.success && !user) countAsFailedAttempt(res);
    if (!user) return renderPage(req, res, target, { status: 401, error: 'Invalid username or password.', username: parsed.success ? parsed.data.username : '' });
    const token = await issueAuthToken(services, user, epochSeconds(services.clock), target.returnUri.origin);
    res.redirect(303, viewerRedirect(target, token));
  });

  router.post('/sign-user', signInLimit, async (req, res) => {
    const body = parseBody(signUserBody, req.body);
    const audience = body.referer === undefined ? undefined : signInTargets.allowedUrl(body.referer)?.origin;
    if (body.referer !== undefined && !audience) throw new BadRequest();
    const user = await authenticateUser(services.store, hasher, body.username, body.password);
    auditSignIn(req, 'api', body.username, user);
    if (!user) {
      countAsFailedAttempt(res);
      throw new BadRequest();
    }
    res.json({ token: await issueAuthToken(services, user, epochSeconds(services.clock), audience) });
  });

  return router;
}
