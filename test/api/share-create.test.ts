import { epochSeconds } from '../../auth-server/src/clock';
import type { CreatedLink } from '../../auth-server/src/share/create-link';
import { api, issueSession, revoke } from '../support/api';
import { headerOf } from '../support/forge';
import { ADMIN_BASIC, createShare, postShare, useShareFixture } from '../support/share';
import { ADMIN_PASSWORD, createTestApp } from '../support/test-app';

const f = useShareFixture();
const now = () => epochSeconds(f.t.clock);
const DAY = 86400;

describe('POST /share with the admin password', () => {
  it('makes a read-only link to one study for 7 days: 201 {id, token, url, expiresAt}', async () => {
    const res = await postShare(f.t, { password: ADMIN_PASSWORD, study: f.studyA });
    expect(res.status).toBe(201);
    const link = res.body as CreatedLink;
    expect(Object.keys(link).sort()).toEqual(['expiresAt', 'id', 'token', 'url']);
    expect(link.url).toBe(`https://pacs.example.org/auth/open/${link.token}`);
    expect(Date.parse(link.expiresAt) / 1000).toBe(now() + 7 * DAY);
    const decoded = f.t.app.services.codec.decode(link.token, 'share', now());
    expect(decoded).toEqual({
      ok: true,
      claims: expect.objectContaining({ type: 'share', fam: link.id, sub: `share:${link.id}`, scope: [f.studyA], canEditResource: false, pin: false, username: 'admin' }),
    });
    expect(headerOf(link.token).typ).toBe('pacsgate-scoped');
    expect(f.t.audit.of('share.created').at(-1)).toMatchObject({ id: link.id, createdBy: 'admin', studies: [f.studyA], canEditResource: false, pin: false, via: 'api' });
  });

  it('makes a read-write link to several studies with a label and a lifetime', async () => {
    const link = await createShare(f.t, { studies: [f.studyA, f.studyB], canEditResource: true, label: 'Dr. Who, second opinion', expiresIn: 3600 });
    expect(Date.parse(link.expiresAt) / 1000).toBe(now() + 3600);
    expect(f.t.app.services.codec.decode(link.token, 'share', now())).toMatchObject({ ok: true, claims: { scope: [f.studyA, f.studyB], canEditResource: true, name: 'Dr. Who, second opinion' } });
  });

  it('caps the lifetime at PACSGATE_SHARE_MAX_TTL (30 days by default)', async () => {
    const link = await createShare(f.t, { study: f.studyA, expiresIn: 90 * DAY });
    expect(Date.parse(link.expiresAt) / 1000).toBe(now() + 30 * DAY);
  });

  it('keeps only a bcrypt hash of the PIN', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '482913' });
    const stored = await f.t.store.shareLinks.find(link.id);
    expect(stored?.pinHash).toMatch(/^\$2b\$04\$/);
    expect(JSON.stringify(stored)).not.toContain('482913');
    expect(f.t.app.services.codec.decode(link.token, 'share', now())).toMatchObject({ ok: true, claims: { pin: true } });
  });

  it('answers 404 {"message":"Study not found"} for a study Orthanc does not have, and makes nothing', async () => {
    const before = (await f.t.store.shareLinks.list()).length;
    const res = await postShare(f.t, { password: ADMIN_PASSWORD, studies: [f.studyA, '1.2.3.4.5.6.7.8.9'] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'Study not found' });
    expect(await f.t.store.shareLinks.list()).toHaveLength(before);
  });

  it('refuses a wrong admin password with 401, audited', async () => {
    const res = await postShare(f.t, { password: 'not the password', study: f.studyA });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Invalid admin password' });
    expect(f.t.audit.of('admin.refused').at(-1)).toMatchObject({ action: 'create-share', reason: 'wrong-admin-password' });
  });

  it('refuses a request with neither a password nor a token with 401', async () => {
    expect((await postShare(f.t, { study: f.studyA })).status).toBe(401);
    expect((await postShare(f.t, { study: f.studyA }, { Authorization: ADMIN_BASIC })).status).toBe(401);
  });
});

describe('POST /share with an editor’s access token', () => {
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const scopedAccessToken = (username: string, scope: string[], canEditResource = true) =>
    f.t.app.services.codec.sign<'access'>({ type: 'access', jti: `scoped-${username}`, sub: '999', fam: `fam-${username}`, iss: f.t.config.issuer, iat: now(), exp: now() + 600, name: username, username, canEditResource, scope });

  it('lets an editor share, as themselves', async () => {
    const editor = await issueSession(f.t, { canEditResource: true });
    const res = await postShare(f.t, { study: f.studyA }, bearer(editor.accessToken));
    expect(res.status).toBe(201);
    expect((await f.t.store.shareLinks.find((res.body as CreatedLink).id))?.createdBy).toBe(editor.username);
  });

  it('refuses a read-only user with 403', async () => {
    const reader = await issueSession(f.t, { canEditResource: false });
    expect((await postShare(f.t, { study: f.studyA }, bearer(reader.accessToken))).status).toBe(403);
  });

  it('lets a scoped editor share only studies within their scope', async () => {
    const token = scopedAccessToken('scoped-editor', [f.studyA]);
    expect((await postShare(f.t, { study: f.studyA }, bearer(token))).status).toBe(201);
    expect((await postShare(f.t, { study: f.studyB }, bearer(token))).status).toBe(403);
    expect((await postShare(f.t, { studies: [f.studyA, f.studyB] }, bearer(token))).status).toBe(403);
  });

  it('refuses a token a share link gave a browser: links do not make links', async () => {
    const link = await createShare(f.t, { study: f.studyA, canEditResource: true });
    const cookie = String((await api(f.t).get(new URL(link.url).pathname.replace(/^\/auth/, ''))).headers['set-cookie']);
    const browserToken = /pacsgate_token=([^;]+)/.exec(cookie)?.[1] as string;
    expect((await postShare(f.t, { study: f.studyA }, bearer(browserToken))).status).toBe(403);
  });

  it('refuses a revoked, expired or foreign token with 401, and a share token itself', async () => {
    const editor = await issueSession(f.t, { canEditResource: true });
    await revoke(f.t, editor.accessToken);
    expect((await postShare(f.t, { study: f.studyA }, bearer(editor.accessToken))).status).toBe(401);
    expect((await postShare(f.t, { study: f.studyA }, bearer('not-a-token'))).status).toBe(401);
    const link = await createShare(f.t, { study: f.studyA, canEditResource: true });
    expect((await postShare(f.t, { study: f.studyA }, bearer(link.token))).status).toBe(401);
  });
});

describe('POST /share with bad input', () => {
  it.each([
    ['no study', {}],
    ['both study and studies', { study: '1.2.3', studies: ['1.2.3'] }],
    ['a study that is no UID', { study: 'abc' }],
    ['a UID with a leading zero component', { study: '1.02.3' }],
    ['a UID over 64 characters', { study: `1.${'2'.repeat(64)}` }],
    ['an empty list of studies', { studies: [] }],
    ['studies as a string', { studies: '1.2.3' }],
    ['51 studies', { studies: Array.from({ length: 51 }, (_, i) => `1.2.${i}`) }],
    ['a negative lifetime', { study: '1.2.3', expiresIn: -1 }],
    ['a fractional lifetime', { study: '1.2.3', expiresIn: 1.5 }],
    ['a lifetime as a string', { study: '1.2.3', expiresIn: '3600' }],
    ['a PIN of 3 digits', { study: '1.2.3', pin: '123' }],
    ['a PIN of 13 digits', { study: '1.2.3', pin: '1234567890123' }],
    ['a PIN with letters', { study: '1.2.3', pin: '12ab' }],
    ['a PIN as a number', { study: '1.2.3', pin: 1234 }],
    ['an empty label', { study: '1.2.3', label: '' }],
    ['a label with a control character', { study: '1.2.3', label: 'a\u0000b' }],
    ['canEditResource as a string', { study: '1.2.3', canEditResource: 'true' }],
    ['an unknown field', { study: '1.2.3', scope: ['1.2.4'] }],
    ['a password that is no string', { study: '1.2.3', password: 12345 }],
  ])('answers 400 with a message for %s', async (_name, body) => {
    const res = await postShare(f.t, { password: ADMIN_PASSWORD, ...body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String) });
  });

  it('answers 400 for malformed JSON and for a body that is no object', async () => {
    expect((await api(f.t).post('/share').type('json').send('{"study":')).status).toBe(400);
    expect((await api(f.t).post('/share').type('json').send('[1,2]')).status).toBe(400);
  });

  it('says what a bad PIN must be', async () => {
    expect((await postShare(f.t, { password: ADMIN_PASSWORD, study: f.studyA, pin: '12' })).body).toEqual({ message: 'The PIN must be 4 to 12 digits' });
  });
});

describe('POST /share while Orthanc is down', () => {
  const down = createTestApp({ PACSGATE_ORTHANC_URL: 'http://127.0.0.1:9', PACSGATE_ORTHANC_PASSWORD: 'x' });
  afterAll(() => down.cleanup());

  it('answers 503 and makes nothing', async () => {
    const res = await postShare(down, { password: ADMIN_PASSWORD, study: '1.2.3' });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ message: 'The PACS is not answering, try again in a moment' });
    expect(await down.store.shareLinks.list()).toEqual([]);
  });
});
