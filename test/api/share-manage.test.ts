import type { CreatedLink } from '../../auth-server/src/share/create-link';
import type { ListedLink } from '../../auth-server/src/share/manage-links';
import { api, revoke, setCookieValue, verify } from '../support/api';
import { openForm, postForm } from '../support/forms';
import { ADMIN_BASIC, createShare, openPath, useShareFixture } from '../support/share';
import { ADMIN_PASSWORD, type TestApp } from '../support/test-app';

const f = useShareFixture();

/** A browser that opened the link: the cookie it holds. */
async function openedBy(link: CreatedLink): Promise<string> {
  return `pacsgate_token=${setCookieValue(await api(f.t).get(openPath(link)), 'pacsgate_token')}`;
}

/** GET /shares as the admin. */
const listed = async (t: TestApp = f.t): Promise<ListedLink[]> => (await api(t).get('/shares').set('Authorization', ADMIN_BASIC)).body as ListedLink[];

const verifiesCookie = async (cookie: string, study: string) => (await verify(f.t, { Cookie: cookie, 'X-Original-URI': `/dicom-web/studies/${study}/series` })).status;

describe('GET /shares', () => {
  it('lists every link with its fields, newest first, never a token nor a PIN hash', async () => {
    const first = await createShare(f.t, { study: f.studyA, label: 'first' });
    const second = await createShare(f.t, { studies: [f.studyA, f.studyB], canEditResource: true, pin: '97531', label: 'second' });
    await api(f.t).get(openPath(first));
    const res = await api(f.t).get('/shares').set('Authorization', ADMIN_BASIC);
    expect(res.status).toBe(200);
    expect((res.body as ListedLink[]).filter((link) => [first.id, second.id].includes(link.id))).toEqual([
      {
        id: second.id, label: 'second', studies: [f.studyA, f.studyB], canEditResource: true, pin: true, locked: false, createdBy: 'admin',
        createdAt: expect.any(String), expiresAt: second.expiresAt, uses: 0, lastUsedAt: null, revoked: false,
      },
      expect.objectContaining({ id: first.id, label: 'first', studies: [f.studyA], canEditResource: false, pin: false, uses: 1, lastUsedAt: expect.any(String), revoked: false }),
    ]);
    for (const secret of [first.token, second.token, '$2b$', '97531']) expect(res.text).not.toContain(secret);
    expect(f.t.audit.of('admin.action').at(-1)).toMatchObject({ action: 'list-shares', via: 'api' });
  });

  it.each([
    ['no Authorization', undefined],
    ['a wrong password', `Basic ${Buffer.from('admin:wrong').toString('base64')}`],
    ['another user name', `Basic ${Buffer.from(`root:${ADMIN_PASSWORD}`).toString('base64')}`],
    ['no colon', `Basic ${Buffer.from('admin').toString('base64')}`],
    ['a Bearer token', 'Bearer abc'],
    ['garbage after Basic', 'Basic %%%'],
  ])('refuses %s with 401 and a Basic challenge', async (_name, authorization) => {
    const req = api(f.t).get('/shares');
    const res = await (authorization === undefined ? req : req.set('Authorization', authorization));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="pacsgate"/);
    expect(res.body).toEqual({ message: expect.any(String) });
  });
});

describe('DELETE /share/<id>', () => {
  it('revokes the link and every browser that opened it, at the next request', async () => {
    const link = await createShare(f.t, { study: f.studyA });
    const browser = await openedBy(link);
    expect(await verifiesCookie(browser, f.studyA)).toBe(204);
    const res = await api(f.t).delete(`/share/${link.id}`).set('Authorization', ADMIN_BASIC);
    expect(res.status).toBe(204);
    expect(await verifiesCookie(browser, f.studyA)).toBe(401);
    const reopened = await api(f.t).get(openPath(link));
    expect(reopened.status).toBe(410);
    expect(reopened.text).toContain('withdrawn');
    expect(f.t.audit.of('share.revoked').at(-1)).toEqual({ event: 'share.revoked', id: link.id, reason: 'admin' });
    expect(f.t.audit.of('admin.action').at(-1)).toMatchObject({ action: 'revoke-share', id: link.id, via: 'api' });
    expect((await listed()).find((row) => row.id === link.id)?.revoked).toBe(true);
  });

  it('answers 404 for an unknown id and 401 without the admin password', async () => {
    expect((await api(f.t).delete('/share/no-such-link').set('Authorization', ADMIN_BASIC)).status).toBe(404);
    const link = await createShare(f.t, { study: f.studyA });
    expect((await api(f.t).delete(`/share/${link.id}`)).status).toBe(401);
    expect((await f.t.store.shareLinks.find(link.id))?.revokedAt).toBeNull();
  });
});

describe('POST /revoke with a share token', () => {
  it('revokes the link and every browser that opened it', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '1357' });
    const form = await openForm(f.t, openPath(link));
    const opened = await postForm(f.t, '/open', form, { token: link.token, pin: '1357' });
    const browser = `pacsgate_token=${setCookieValue(opened, 'pacsgate_token')}`;
    expect((await revoke(f.t, link.token)).status).toBe(200);
    expect(await verifiesCookie(browser, f.studyA)).toBe(401);
    expect((await api(f.t).get(openPath(link))).status).toBe(410);
    expect(f.t.audit.of('share.revoked').at(-1)).toEqual({ event: 'share.revoked', id: link.id, reason: 'revoke-endpoint' });
  });
});

// Last: it closes the fixture's app, as a restart does.
describe('a link locked by wrong PINs', () => {
  async function lockedLink(): Promise<CreatedLink> {
    const link = await createShare(f.t, { study: f.studyA, pin: '8642' });
    const form = await openForm(f.t, openPath(link));
    for (let attempt = 0; attempt < 5; attempt++) await postForm(f.t, '/open', form, { token: link.token, pin: '0000' });
    expect((await f.t.store.shareLinks.find(link.id))?.locked).toBe(true);
    return link;
  }

  it('stays locked across a restart, is listed as locked, and opens again once the admin unlocks it', async () => {
    const link = await lockedLink();
    await f.t.close();
    const restarted = f.t.restart();
    try {
      expect((await api(restarted).get(openPath(link))).status).toBe(403);
      expect((await listed(restarted)).find((row) => row.id === link.id)).toMatchObject({ locked: true, revoked: false });
      const page = await openForm(restarted, '/share');
      const unlocked = await postForm(restarted, '/share/links', page, { adminPassword: ADMIN_PASSWORD, action: `unlock:${link.id}` });
      expect(unlocked.status).toBe(200);
      expect(unlocked.text).toContain('unlocked');
      expect(restarted.audit.of('share.unlocked').at(-1)).toMatchObject({ id: link.id, via: 'page' });
      const form = await openForm(restarted, openPath(link));
      expect((await postForm(restarted, '/open', form, { token: link.token, pin: '8642' })).status).toBe(303);
    } finally {
      await restarted.close();
    }
  });
});
