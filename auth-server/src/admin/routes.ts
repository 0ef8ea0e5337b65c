import { type Request, type Response, Router } from 'express';
import { epochSeconds } from '../clock';
import type { Csrf } from '../http/csrf';
import { servesPages } from '../http/error-handler';
import { parseBody } from '../http/validate';
import { issueAuthToken } from '../tokens/issue';
import { saveUserForToken } from '../users/users';
import { readAdminForm } from './admin-form';
import { checkAdminPassword, webActor } from './admin-password';
import type { AdminDeps } from './deps';
import { keyAdminRoutes } from './key-routes';
import { GENERATE_TOKEN_MESSAGES, generateTokenBody, TOKEN_FORM_MESSAGES, tokenForm } from './schemas';
import { userAdminRoutes } from './user-routes';

type FormValues = Partial<Record<'name' | 'username' | 'canEditResource', unknown>>;

function renderForm(res: Response, csrf: Csrf, req: Request, view: { status?: number; error?: string; confirm?: boolean; values?: FormValues }): void {
  res.status(view.status ?? 200).render('token', {
    csrfToken: csrf.token(req, res),
    error: view.error,
    confirm: view.confirm ?? false,
    values: view.values ?? {},
  });
}

export function adminRoutes(deps: AdminDeps): Router {
  const { tokens, hasher, csrf, adminLimit, config } = deps;
  const router = Router();

  router.post('/generate-token', adminLimit, async (req, res) => {
    const body = parseBody(generateTokenBody, req.body, GENERATE_TOKEN_MESSAGES);
    const actor = webActor(req, 'api');
    await checkAdminPassword(deps, body.password, 'issue-token', actor);
    const now = epochSeconds(tokens.clock);
    const user = await saveUserForToken(tokens.store, hasher, { ...body, canEditResource: body.canEditResource ?? false }, body.createUserIfNotExists ?? false, now);
    tokens.audit.record({ event: 'admin.action', action: 'issue-token', username: user.username, ...actor });
    res.json({ token: issueAuthToken(tokens, user, now) });
  });

  router.get('/token', servesPages, (req, res) => renderForm(res, csrf, req, {}));

  router.post('/token', servesPages, adminLimit, csrf.protect, async (req, res) => {
    const { name, username, canEditResource } = (req.body ?? {}) as FormValues;
    const values: FormValues = { name, username, canEditResource };
    const actor = webActor(req, 'page');
    const checked = await readAdminForm(deps, req.body, tokenForm, TOKEN_FORM_MESSAGES, () => 'issue-token', actor);
    if (!checked.ok) return renderForm(res, csrf, req, { status: 400, error: checked.error, values });
    const { form } = checked;
    if (tokens.store.users.findByUsername(form.username) && !form.confirmOverwrite) {
      return renderForm(res, csrf, req, { confirm: true, values });
    }
    const now = epochSeconds(tokens.clock);
    const user = await saveUserForToken(tokens.store, hasher, form, true, now);
    tokens.audit.record({ event: 'admin.action', action: 'issue-token', username: user.username, ...actor });
    const token = issueAuthToken(tokens, user, now);
    res.render('token-issued', {
      user,
      token,
      explorerLink: `${config.publicUrl}/auth/explorer?token=${encodeURIComponent(token)}`,
      viewerLink: `${config.publicUrl}/auth/viewer/?token=${encodeURIComponent(token)}`,
    });
  });

  router.use(userAdminRoutes(deps), keyAdminRoutes(deps));
  return router;
}
