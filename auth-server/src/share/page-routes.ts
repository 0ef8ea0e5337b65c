import { type Request, type Response, Router } from 'express';
import QRCode from 'qrcode';
import type { z } from 'zod';
import { readAdminForm, showFormAgain } from '../admin/admin-form';
import { webActor } from '../admin/admin-password';
import { displayTime } from '../admin/display-time';
import type { AdminAction } from '../audit/events';
import { oneLevelDown } from '../http/asset-base';
import { servesPages } from '../http/error-handler';
import type { StudySummary } from '../orthanc/orthanc-client';
import { createShareLink, type CreatedLink } from './create-link';
import type { ShareDeps } from './deps';
import { linkState, listedLink, revokeShareLink, unlockShareLink } from './manage-links';
import { createForm, linksForm, PAGE_MESSAGES, searchForm } from './page-forms';
import { ADMIN_SHARER } from './sharer';

interface PageView {
  status?: number;
  error?: string;
  notice?: string;
  search?: Record<string, unknown>;
  results?: StudySummary[];
  created?: CreatedLink & { qrSvg: string };
  showLinks?: boolean;
}

const DAY = 86400;
const LINK_ACTIONS = { list: 'list-shares', revoke: 'revoke-share', unlock: 'unlock-share' } as const;

/** The form values typed, to show again: strings only, never the admin password. */
const typedSearch = (body: unknown): Record<string, string> => {
  const fields = (body ?? {}) as Record<string, unknown>;
  const typed: Record<string, string> = {};
  for (const name of ['patientName', 'patientId', 'accessionNumber', 'studyDate']) if (typeof fields[name] === 'string') typed[name] = fields[name];
  return typed;
};

/** `/share`: an admin finds a study in Orthanc, makes a link (copy button, QR code made here), lists and revokes links. */
export function sharePageRoutes(deps: ShareDeps): Router {
  const { services, csrf, adminLimit, orthanc, config } = deps;
  const router = Router();

  const render = async (req: Request, res: Response, view: PageView) => {
    const links = view.showLinks ? await services.store.shareLinks.list() : undefined;
    res.status(view.status ?? 200).render('share', {
      csrfToken: csrf.token(req, res),
      maxDays: Math.max(1, Math.floor(config.ttl.shareLink / DAY)),
      error: view.error,
      notice: view.notice,
      search: view.search ?? {},
      results: view.results,
      created: view.created && { ...view.created, expires: displayTime(Date.parse(view.created.expiresAt) / 1000) },
      links: links?.map((link) => ({ ...listedLink(link), expires: displayTime(link.expiresAt), state: linkState(link) })),
    });
  };

  const readForm = <T extends z.ZodType<{ adminPassword: string }>>(req: Request, res: Response, schema: T, action: (form: z.infer<T>) => AdminAction) =>
    readAdminForm(deps, req, res, schema, action, PAGE_MESSAGES);

  router.get('/share', servesPages, (req, res) => render(req, res, {}));

  router.post('/share/search', servesPages, oneLevelDown, adminLimit, csrf.protect, async (req, res) => {
    const form = await readForm(req, res, searchForm, () => 'search-studies');
    const results = await orthanc.searchStudies(form);
    services.audit.record({ event: 'admin.action', action: 'search-studies', count: results.length, ...webActor(req, 'page') });
    await render(req, res, { search: typedSearch(req.body), results });
  });

  router.post('/share/create', servesPages, oneLevelDown, adminLimit, csrf.protect, async (req, res) => {
    const form = await readForm(req, res, createForm, () => 'create-share');
    const request = { studies: [form.study], expiresIn: form.days * DAY, canEditResource: form.rights === 'write', pin: form.pin, label: form.label };
    const created = await createShareLink(deps, request, ADMIN_SHARER, webActor(req, 'page'));
    const qrSvg = await QRCode.toString(created.url, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
    await render(req, res, { created: { ...created, qrSvg } });
  });

  router.post('/share/links', servesPages, oneLevelDown, adminLimit, csrf.protect, async (req, res) => {
    const form = await readForm(req, res, linksForm, (typed) => LINK_ACTIONS[typed.action.action]);
    const actor = webActor(req, 'page');
    const choice = form.action;
    let notice: string | undefined;
    if (choice.action === 'revoke') notice = (await revokeShareLink(services, choice.id, actor)) ? 'The link is revoked: it and every browser that opened it are refused within a second.' : 'There is no such link.';
    else if (choice.action === 'unlock') notice = (await unlockShareLink(services, choice.id, actor)) ? 'The link is unlocked: its PIN can be tried again.' : 'There is no such link.';
    else services.audit.record({ event: 'admin.action', action: 'list-shares', ...actor });
    await render(req, res, { notice, showLinks: true });
  });

  // Only the page's own forms: POST /share is the JSON API, whose errors stay JSON.
  router.use(['/share/search', '/share/create', '/share/links'], showFormAgain((req, res, failure) => render(req, res, { ...failure, search: typedSearch(req.body) })));

  return router;
}
