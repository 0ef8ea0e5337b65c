import { type Request, type Response, Router } from 'express';
import { epochSeconds } from '../clock';
import { BadRequest } from '../errors';
import type { Csrf } from '../http/csrf';
import { servesPages } from '../http/error-handler';
import { parseBody } from '../http/validate';
import { issueAuthToken } from '../tokens/issue';
import { saveUser } from '../users/users';
import { readAdminForm, showFormAgain } from './admin-form';
import { checkAdminPassword, webActor } from './admin-password';
import { displayDuration } from './display-time';
import type { AdminDeps } from './deps';
import { keyAdminRoutes } from './key-routes';
import { GENERATE_TOKEN_MESSAGES, generateTokenBody, tokenForm } from './schemas';
import { userAdminRoutes } from './user-routes';

type FormValues = Partial<Record<'name' | 'username' | 'canEditResource', unknown>>;

/** What was typed, to fill the form in again. */
function typedValues(req: Request): FormValues {
  const { name, username, canEditResource } = (req.body ?? {}) as FormValues;
  return { name, username, canEditResource };
}

interface TokenPage {
  csrf: Csrf;
  /** PACSGATE_AUTH_TOKEN_TTL as the page states it. */
  authTokenValidFor: string;
}

function renderForm(res: Response, page: TokenPage, req: Request, view: { status?: number; error?: string; confirm?: boolean; values?: FormValues }): void {
  res.status(view.status ?? 200).render('token', {
    csrfToken: page.csrf.token(req, res),
    authTokenValidFor: page.authTokenValidFor,
    error: view.error,
    confirm: view.confirm ?? false,
    values: view.values ?? {},
  });
}

export function adminRoutes(deps: AdminDeps): Router {
  const { services, hasher, csrf, adminLimit, config } = deps;
  const router = Router();
  const page: TokenPage = { csrf, authTokenValidFor: displayDuration(config.ttl.authToken) };

  router.post('/generate-token', adminLimit, async (req, res) => {
    const body = parseBody(generateTokenBody, req.body, GENERATE_TOKEN_MESSAGES);
    const actor = webActor(req, 'api');
    await checkAdminPassword(deps, body.password, 'issue-token', actor, res);
    const now = epochSeconds(services.clock);
    // The original server's rule: without createUserIfNotExists nothing is saved, the answer only says whether the user exists.
    if (!body.createUserIfNotExists) throw new BadRequest((await services.store.users.findByUsername(body.username)) ? 'User already exists' : "User doesn't exists");
    const user = await saveUser(services.store, hasher, { ...body, canEditResource: body.canEditResource ?? false }, now);
    services.audit.record({ event: 'admin.action', action: 'issue-token', username: user.username, ...actor });
    res.json({ token: await issueAuthToken(services, user, now) });
  });

  router.get('/token', servesPages, (req, res) => renderForm(res, page, req, {}));

  router.post('/token', servesPages, adminLimit, csrf.protect, async (req, res) => {
    const form = await readAdminForm(deps, req, res, tokenForm, () => 'issue-token');
    if ((await services.store.users.findByUsername(form.username)) && !form.confirmOverwrite) {
      return renderForm(res, page, req, { confirm: true, values: typedValues(req) });
    }
    const now = epochSeconds(services.clock);
    const user = await saveUser(services.store, hasher, form, now);
    services.audit.record({ event: 'admin.action', action: 'issue-token', username: user.username, ...webActor(req, 'page') });
    const token = await issueAuthToken(services, user, now);
    res.render('token-issued', {
      user,
      token,
      explorerLink: `${config.publicUrl}/auth/explorer?token=${encodeURIComponent(token)}`,
      viewerLink: `${config.publicUrl}/auth/viewer/?token=${encodeURIComponent(token)}`,
    });
  });

  router.use('/token', showFormAgain((req, res, failure) => renderForm(res, page, req, { ...failure, values: typedValues(req) })));

  router.use(userAdminRoutes(deps), keyAdminRoutes(deps));
  return router;
}
