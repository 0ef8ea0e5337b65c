import { epochSeconds } from '../../auth-server/src/clock';
import { api } from '../support/api';
import { openForm, postForm } from '../support/forms';
import { createShare, PATIENT_B, useShareFixture } from '../support/share';
import { ADMIN_PASSWORD } from '../support/test-app';

const f = useShareFixture();
const DAY = 86400;

/** Opens /share and submits one of its forms, as the browser would. */
async function submit(action: 'search' | 'create' | 'links', fields: Record<string, string>) {
  return postForm(f.t, `/share/${action}`, await openForm(f.t, '/share'), fields);
}

const studiesShown = (html: string) => [...html.matchAll(/data-study="([^"]+)"/g)].map((match) => match[1]);
const linksShown = (html: string) => [...html.matchAll(/data-link="([^"]+)"/g)].map((match) => match[1]);

describe('/share page', () => {
  it('serves the search and links forms with scripts from files only, and is linked from /token', async () => {
    const res = await api(f.t).get('/share');
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="search-form"');
    expect(res.text).toContain('id="links-form"');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await api(f.t).get('/token')).text).toContain('href="share"');
  });

  it('finds a study by any part of the patient name, case aside, and not the other patient’s', async () => {
    const res = await submit('search', { patientName: 'alph', adminPassword: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(studiesShown(res.text)).toEqual([f.studyA]);
    expect(res.text).toContain('Alpha^Anna');
    expect(res.text).toContain('href="../static/style.css"');
    expect(res.text).toContain('action="../share/create"');
    expect(f.t.audit.of('admin.action').at(-1)).toMatchObject({ action: 'search-studies', count: 1, via: 'page' });
  });

  it('finds a study by patient ID, and says so when nothing matches (by date or accession)', async () => {
    expect(studiesShown((await submit('search', { patientId: PATIENT_B.id, adminPassword: ADMIN_PASSWORD })).text)).toEqual([f.studyB]);
    const none = await submit('search', { studyDate: '1901-01-01', accessionNumber: 'NO-SUCH', adminPassword: ADMIN_PASSWORD });
    expect(none.text).toContain('No study matches');
  });

  it('refuses a search with a wrong admin password, showing nothing from Orthanc', async () => {
    const res = await submit('search', { patientName: 'alph', adminPassword: 'wrong' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Invalid admin password');
    expect(studiesShown(res.text)).toEqual([]);
    expect(res.text).toContain('value="alph"');
  });

  it('makes a link: shows it once with a copy button and a QR code made on the server', async () => {
    const res = await submit('create', { study: f.studyA, days: '3', rights: 'write', pin: '5555', label: 'Dr. Page', adminPassword: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    const url = /<textarea id="share-url"[^>]*>([^<]+)<\/textarea>/.exec(res.text)?.[1] as string;
    expect(url).toMatch(/^https:\/\/pacs\.example\.org\/auth\/open\/[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(res.text).toContain('data-copy="share-url"');
    expect(res.text).toMatch(/<div class="qr" id="share-qr"[^>]*><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const id = f.t.app.services.codec.decode(url.split('/').pop() as string, 'share', epochSeconds(f.t.clock));
    expect(id.ok).toBe(true);
    const link = await f.t.store.shareLinks.find(id.ok ? id.claims.fam : '');
    expect(link).toMatchObject({ studies: [f.studyA], canEditResource: true, label: 'Dr. Page', createdBy: 'admin', expiresAt: epochSeconds(f.t.clock) + 3 * DAY });
    expect(link?.pinHash).toMatch(/^\$2b\$/);
    expect(f.t.audit.of('share.created').at(-1)).toMatchObject({ via: 'page', canEditResource: true, pin: true });
  });

  it.each([
    ['no study', { days: '3', rights: 'read' }],
    ['zero days', { study: '1.2.3', days: '0', rights: 'read' }],
    ['days that are no number', { study: '1.2.3', days: 'soon', rights: 'read' }],
    ['unknown rights', { study: '1.2.3', days: '3', rights: 'all' }],
    ['a PIN of letters', { study: '1.2.3', days: '3', rights: 'read', pin: 'abcd' }],
  ])('answers a create form with %s with 400 and a message, never 500', async (_name, fields) => {
    const res = await submit('create', { ...fields, adminPassword: ADMIN_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/class="error"/);
  });

  it('answers 404 for a study Orthanc does not have', async () => {
    const res = await submit('create', { study: '1.2.3.4.5.6.7.8.9', days: '3', rights: 'read', adminPassword: ADMIN_PASSWORD });
    expect(res.status).toBe(404);
    expect(res.text).toContain('Study not found');
  });

  it('lists links and revokes one', async () => {
    const link = await createShare(f.t, { study: f.studyB, label: 'to revoke' });
    const listed = await submit('links', { action: 'list', adminPassword: ADMIN_PASSWORD });
    expect(linksShown(listed.text)).toContain(link.id);
    expect(listed.text).not.toContain(link.token);
    const revoked = await submit('links', { action: `revoke:${link.id}`, adminPassword: ADMIN_PASSWORD });
    expect(revoked.text).toContain('The link is revoked');
    expect(revoked.text).toMatch(new RegExp(`data-link="${link.id}">(?:(?!</tr>)[\\s\\S])*<td>revoked</td>`));
    expect((await f.t.store.shareLinks.find(link.id))?.revokedAt).not.toBeNull();
    expect(f.t.app.services.revocations.has(link.id)).toBe(true);
    expect(f.t.audit.of('admin.action').at(-1)).toMatchObject({ action: 'revoke-share', id: link.id, via: 'page' });
  });

  it('refuses the links form with a wrong password or an odd action', async () => {
    expect((await submit('links', { action: 'list', adminPassword: 'wrong' })).status).toBe(400);
    expect((await submit('links', { action: 'revoke:not-an-id', adminPassword: ADMIN_PASSWORD })).status).toBe(400);
    expect((await submit('links', { action: 'drop', adminPassword: ADMIN_PASSWORD })).status).toBe(400);
  });

  it('refuses its forms without the CSRF pair', async () => {
    const res = await api(f.t).post('/share/search').type('form').send({ patientName: 'alph', adminPassword: ADMIN_PASSWORD });
    expect(res.status).toBe(403);
  });
});
