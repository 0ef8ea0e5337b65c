import type { Response } from 'supertest';
import { api, generateToken, generateTokenBody, issueSession, presentToken, uniqueUsername, verify } from '../support/api';
import { openForm, postForm, submitForm } from '../support/forms';
import { ADMIN_PASSWORD, useTestApp, VIEWER_ORIGIN } from '../support/test-app';

const SIGN_IN_PAGE = `/sign-in?return_uri=${encodeURIComponent(`${VIEWER_ORIGIN}/cb`)}`;

describe('security defaults', () => {
  const t = useTestApp();

  /** Every kind of page the server renders: forms, results and errors. */
  async function allPages(): Promise<Array<[string, Response]>> {
    const username = uniqueUsername('page');
    const tokenFields = { name: 'Pages', username, adminPassword: ADMIN_PASSWORD };
    return [
      ['token form', (await openForm(t, '/token')).page],
      ['token issued', await submitForm(t, '/token', '/token', tokenFields)],
      ['confirm overwrite', await submitForm(t, '/token', '/token', tokenFields)],
      ['token form error', await submitForm(t, '/token', '/token', { ...tokenFields, adminPassword: 'wrong' })],
      ['sign-in form', (await openForm(t, SIGN_IN_PAGE)).page],
      ['sign-in error', await submitForm(t, SIGN_IN_PAGE, '/sign-in', { username, password: 'wrong', return_uri: `${VIEWER_ORIGIN}/cb` })],
      ['bad return_uri', await api(t).get('/sign-in?return_uri=https://evil.example/')],
      ['explorer link used', await api(t).get('/explorer?token=garbage')],
    ];
  }

  describe('pages', () => {
    it('are sent with a CSP that allows no inline script or style and no framing', async () => {
      for (const [name, page] of await allPages()) {
        const csp = String(page.headers['content-security-policy']);
        expect([name, csp]).toEqual([name, expect.stringContaining("script-src 'self'")]);
        expect(csp).toContain("style-src 'self'");
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      }
    });

    it('hold no inline script, style attribute or event handler, and load nothing from other hosts', async () => {
      let scripts = 0;
      for (const [name, page] of await allPages()) {
        expect([name, page.headers['content-type']]).toEqual([name, expect.stringMatching(/^text\/html/)]);
        for (const [, attributes, body] of page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
          scripts += 1;
          expect([name, attributes, body]).toEqual([name, expect.stringMatching(/\ssrc="[^"]+"/), '']);
        }
        expect([name, page.text]).not.toEqual([name, expect.stringMatching(/\sstyle\s*=|\son[a-z]+\s*=|<style\b/i)]);
        expect([name, page.text]).not.toEqual([name, expect.stringMatching(/(?:src|href)="(?:https?:)?\/\/(?!pacs\.example\.org\/)/i)]);
      }
      // The copy button's script on the "token issued" page: the scan above did look at a script.
      expect(scripts).toBeGreaterThan(0);
    });

    it('get their stylesheet and script from this server', async () => {
      const css = await api(t).get('/static/style.css');
      expect([css.status, css.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/css/)]);
      expect((await api(t).get('/static/copy.js')).status).toBe(200);
    });
  });

  it('never sends X-Powered-By', async () => {
    const session = await issueSession(t);
    const responses = [
      await api(t).get('/token'),
      await api(t).get('/healthz'),
      await api(t).get('/no-such-path'),
      await api(t).post('/generate-token').send({}),
      await verify(t, { Authorization: `Bearer ${session.accessToken}` }),
      await verify(t),
    ];
    for (const res of responses) expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('marks every response that carries a token Cache-Control: no-store', async () => {
    const session = await issueSession(t, { userPassword: 'cache password' });
    const responses = [
      await api(t).post('/generate-token').send(generateTokenBody()),
      await api(t).post('/sign-user').send({ username: session.username, password: 'cache password' }),
      await presentToken(t, '/generate-access-token', await generateToken(t)),
      await presentToken(t, '/refresh-token', session.refreshToken),
      await verify(t, { 'X-Original-URI': `/app/explorer.html?token=${await generateToken(t)}` }),
      await api(t).get(`/explorer?token=${await generateToken(t)}`),
      await submitForm(t, '/token', '/token', { name: 'Cache', username: uniqueUsername(), adminPassword: ADMIN_PASSWORD }),
      await submitForm(t, SIGN_IN_PAGE, '/sign-in', { username: session.username, password: 'cache password', return_uri: `${VIEWER_ORIGIN}/cb` }),
    ];
    for (const res of responses) expect([res.status, res.headers['cache-control']]).toEqual([res.status, 'no-store']);
  });

  describe('CORS', () => {
    it.each([VIEWER_ORIGIN, 'https://ward-9.clinic.example'])('lets the allowed origin %s call with credentials and read Authorization', async (origin) => {
      const session = await issueSession(t);
      const res = await presentToken(t, '/refresh-token', session.refreshToken, origin);
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-expose-headers']).toBe('Authorization');
    });

    it('answers the preflight of an allowed origin', async () => {
      const res = await api(t).options('/generate-access-token').set({ Origin: VIEWER_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(VIEWER_ORIGIN);
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    });

    it.each(['https://evil.example', 'https://a.b.clinic.example', 'https://viewer.example.org.evil.example', 'null'])('tells %s nothing', async (origin) => {
      const preflight = await api(t).options('/generate-access-token').set({ Origin: origin, 'Access-Control-Request-Method': 'POST' });
      const call = await api(t).post('/sign-user').set('Origin', origin).send({ username: 'x', password: 'y' });
      for (const res of [preflight, call]) {
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      }
    });
  });

  describe('request bodies', () => {
    const JSON_ENDPOINTS = ['/generate-token', '/sign-user', '/revoke'];

    it.each(JSON_ENDPOINTS)('answers 413 with a JSON message to a body over the limit on %s', async (path) => {
      const res = await api(t).post(path).send({ token: 'x'.repeat(100 * 1024) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ message: expect.any(String) });
    });

    it('answers 413 to an oversized form too', async () => {
      const res = await api(t).post('/token').type('form').send({ name: 'x'.repeat(100 * 1024) });
      expect(res.status).toBe(413);
    });

    it.each(JSON_ENDPOINTS.flatMap((path) => [
      [path, 'malformed JSON', '{"username": "a",'],
      [path, 'a JSON array', '[1, 2]'],
      [path, 'JSON null', 'null'],
      [path, 'a JSON string', '"token"'],
    ]))('answers 400 {message} to %s with %s, never 500', async (path, _case, body) => {
      const res = await api(t).post(path).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ message: expect.any(String) });
    });

    it.each([
      ['/generate-token', { ...generateTokenBody(), canEditResource: 'true' }],
      ['/generate-token', { ...generateTokenBody(), role: 'admin' }],
      ['/sign-user', { username: 'someone', password: 12345 }],
      ['/sign-user', { username: 'someone', password: 'pw', extra: 1 }],
    ])('answers 400 {message} to %s with a wrong type or an unknown field', async (path, body) => {
      const res = await api(t).post(path).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: expect.any(String) });
    });
  });

  describe('CSRF', () => {
    const forms = [
      ['/token', '/token', { name: 'Csrf', username: 'csrf-user', adminPassword: ADMIN_PASSWORD }],
      ['/sign-in', SIGN_IN_PAGE, { username: 'csrf-user', password: 'pw', return_uri: `${VIEWER_ORIGIN}/cb` }],
    ] as const;

    it.each(forms)('refuses a post to %s without the CSRF field or cookie with a 403 page', async (action, page, fields) => {
      const form = await openForm(t, page);
      const attempts = [
        api(t).post(action).type('form').send(fields),
        api(t).post(action).type('form').send({ ...fields, _csrf: form.csrfToken }),
        api(t).post(action).type('form').set('Cookie', form.cookie).send(fields),
        postForm(t, action, { ...form, csrfToken: `${form.csrfToken}x` }, fields),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toContain('did not come from this site');
      }
      expect(await t.store.users.findByUsername('csrf-user')).toBeUndefined();
    });

    it('refuses a CSRF token taken from another browser’s page', async () => {
      const mine = await openForm(t, '/token');
      const theirs = await openForm(t, '/token');
      const res = await postForm(t, '/token', { ...mine, csrfToken: theirs.csrfToken }, { name: 'Mixed', username: 'mixed-user', adminPassword: ADMIN_PASSWORD });
      expect(mine.cookie).not.toBe(theirs.cookie);
      expect(res.status).toBe(403);
    });
  });
});
