import { Router } from 'express';
import { NotFound } from '../errors';
import { parseBody } from '../http/validate';
import { requireAdminBasic } from './admin-basic';
import { createShareLink } from './create-link';
import type { ShareDeps } from './deps';
import { listedLink, revokeShareLink } from './manage-links';
import { requestedStudies, SHARE_MESSAGES, shareBody } from './schemas';
import { authorizeSharer } from './sharer';

/** The JSON API of share links: make one, list them, revoke one. */
export function shareApiRoutes(deps: ShareDeps): Router {
  const { services, adminLimit } = deps;
  const router = Router();

  router.post('/share', adminLimit, async (req, res) => {
    const body = parseBody(shareBody, req.body, SHARE_MESSAGES);
    const studies = requestedStudies(body);
    const { createdBy, actor } = await authorizeSharer(deps, req, res, body.password, studies);
    const request = { studies, expiresIn: body.expiresIn, canEditResource: body.canEditResource ?? false, pin: body.pin, label: body.label };
    res.status(201).json(await createShareLink(deps, request, createdBy, actor));
  });

  router.get('/shares', adminLimit, async (req, res) => {
    const actor = await requireAdminBasic(deps, req, res, 'list-shares');
    const links = await services.store.shareLinks.list();
    services.audit.record({ event: 'admin.action', action: 'list-shares', count: links.length, ...actor });
    res.json(links.map(listedLink));
  });

  router.delete('/share/:id', adminLimit, async (req, res) => {
    const actor = await requireAdminBasic(deps, req, res, 'revoke-share');
    if (!(await revokeShareLink(services, String(req.params.id), actor))) throw new NotFound('Share link not found');
    res.status(204).end();
  });

  return router;
}
