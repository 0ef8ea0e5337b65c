import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { epochSeconds } from '../clock';
import { servesPages } from '../http/error-handler';
import type { ListedFamily } from '../store/store';
import { revokeUserTokens } from '../tokens/revoke';
import { passwordField, usernameField } from '../users/fields';
import { readAdminForm, showFormAgain } from './admin-form';
import { webActor } from './admin-password';
import type { AdminDeps } from './deps';
import { displayTime } from './display-time';

const userTokensForm = z.strictObject({
  _csrf: z.string(),
  username: usernameField,
  adminPassword: passwordField,
  action: z.enum(['list', 'revoke']),
});

interface UsersView {
  status?: number;
  error?: string;
  notice?: string;
  username?: unknown;
  families?: ListedFamily[];
}

/** `/users`: an admin looks up a user's live token families (one per sign-in) and can revoke them all. */
export function userAdminRoutes(deps: AdminDeps): Router {
  const { services, csrf, adminLimit } = deps;
  const router = Router();

  const render = (req: Request, res: Response, view: UsersView) =>
    res.status(view.status ?? 200).render('users', {
      csrfToken: csrf.token(req, res),
      error: view.error,
      notice: view.notice,
      username: typeof view.username === 'string' ? view.username : '',
      families: view.families?.map((family) => ({
        id: family.id,
        created: displayTime(family.createdAt),
        audience: family.audience ?? 'Orthanc Explorer or API',
        expires: displayTime(family.expiresAt),
      })),
    });

  router.get('/users', servesPages, (req, res) => render(req, res, {}));

  router.post('/users', servesPages, adminLimit, csrf.protect, async (req, res) => {
    const actor = webActor(req, 'page');
    const { username, action } = await readAdminForm(deps, req, res, userTokensForm, (form) => (form.action === 'list' ? 'list-user-tokens' : 'revoke-user-tokens'));
    const user = await services.store.users.findByUsername(username);
    if (!user) return render(req, res, { error: `There is no user ${username}.`, username });
    let notice: string | undefined;
    if (action === 'revoke') {
      const count = await revokeUserTokens(services, user.id);
      services.audit.record({ event: 'admin.action', action: 'revoke-user-tokens', username, count, ...actor });
      notice = `Revoked ${count} token${count === 1 ? '' : 's'} of ${username}: every sign-in and every unused one-off token.`;
    } else {
      services.audit.record({ event: 'admin.action', action: 'list-user-tokens', username, ...actor });
    }
    render(req, res, { username, notice, families: await services.store.tokens.activeFamilies(user.id, epochSeconds(services.clock)) });
  });

  router.use('/users', showFormAgain((req, res, failure) => render(req, res, { ...failure, username: (req.body as Record<string, unknown> | undefined)?.username })));

  return router;
}
