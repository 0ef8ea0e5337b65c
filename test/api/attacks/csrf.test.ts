import { createHmac } from 'node:crypto';
import type { Response } from 'supertest';
import { api, generateToken, uniqueUsername } from '../../support/api';
import { CSRF_COOKIE, openForm, type OpenedForm, postForm } from '../../support/forms';
import { ADMIN_PASSWORD, createTestApp, VIEWER_ORIGIN } from '../../support/test-app';

const RETURN_URI = `${VIEWER_ORIGIN}/callback`;
const SIGN_IN_PAGE = `/sign-in?return_uri=${encodeURIComponent(RETURN_URI)}`;

describe('CSRF on the two forms', () => {
  const t = createTestApp();
  const other = createTestApp();
  afterAll(async () => {
    await t.cleanup();
    await other.cleanup();
  });

  const signInUser = uniqueUsername('csrf');
  beforeAll(async () => {
    await generateToken(t, { username: signInUser, userPassword: 'csrf password' });
  });

  const forms = {
    '/token': { page: '/token', fields: () => ({ name: 'Csrf Victim', username: uniqueUsername('csrf-made'), adminPassword: ADMIN_PASSWORD }) },
    '/sign-in': { page: SIGN_IN_PAGE, fields: () => ({ username: signInUser, password: 'csrf password', return_uri: RETURN_URI }) },
  } as const;
  type Action = keyof typeof forms;

  /** What a forged post must not get: a token, a redirect, or a new user. */
  async function expectRefused(res: Response, fields: Record<string, string>): Promise<void> {
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('did not come from this site');
    expect(res.headers.location).toBeUndefined();
    expect(res.text).not.toMatch(/eyJ[\w-]+\.eyJ/);
    if (fields.adminPassword) expect(await t.store.users.findByUsername(fields.username)).toBeUndefined();
  }

  const raw = (action: Action, cookie: string | undefined, fields: Record<string, string>) => {
    const req = api(t).post(action).type('form');
    return (cookie === undefined ? req : req.set('Cookie', cookie)).send(fields);
  };

  /** A value in the shape csrf-csrf makes (`hmac.random`) under a secret that is not ours. */
  const pairUnderSecret = (secret: string): string => {
    const random = 'a'.repeat(64);
    return `${createHmac('sha256', secret).update(`0!!${random.length}!${random}`).digest('hex')}.${random}`;
  };

  describe.each(Object.keys(forms) as Action[])('%s', (action) => {
    const { page, fields } = forms[action];
    let mine: OpenedForm;
    let theirs: OpenedForm;
    beforeEach(async () => {
      mine = await openForm(t, page);
      theirs = await openForm(t, page);
    });

    it('accepts the genuine pair (so every refusal below is the CSRF check)', async () => {
      const res = await postForm(t, action, mine, fields());
      expect([200, 303]).toContain(res.status);
      expect(res.text + String(res.headers.location)).toMatch(/eyJ[\w-]+\.eyJ/);
    });

    it('refuses the field without any cookie', async () => {
      const sent = { ...fields(), _csrf: mine.csrfToken };
      await expectRefused(await raw(action, undefined, sent), sent);
    });

    it('refuses the cookie without the field', async () => {
      const sent = fields();
      await expectRefused(await raw(action, mine.cookie, sent), sent);
    });

    it('refuses the field in an X-CSRF-Token header instead of the form', async () => {
      const sent = fields();
      await expectRefused(await raw(action, mine.cookie, sent).set('X-CSRF-Token', mine.csrfToken), sent);
    });

    it('refuses a field from another browser’s page, and that browser’s cookie with my field', async () => {
      const sent = fields();
      await expectRefused(await postForm(t, action, { ...mine, csrfToken: theirs.csrfToken }, sent), sent);
      await expectRefused(await postForm(t, action, { ...theirs, csrfToken: mine.csrfToken }, sent), sent);
    });

    it('refuses a matching pair the attacker made up, or made under another secret', async () => {
      const ours = pairUnderSecret(t.config.sessionSecret);
      const control = await raw(action, `${CSRF_COOKIE}=${ours}`, { ...fields(), _csrf: ours });
      expect([200, 303]).toContain(control.status);
      for (const made of ['attacker.chosen', pairUnderSecret('not our secret'), pairUnderSecret('')]) {
        const sent = { ...fields(), _csrf: made };
        await expectRefused(await raw(action, `${CSRF_COOKIE}=${made}`, sent), sent);
      }
    });

    it('refuses a genuine pair from another pacsgate (another session secret)', async () => {
      const foreign = await openForm(other, page);
      const sent = { ...fields(), _csrf: foreign.csrfToken };
      await expectRefused(await raw(action, foreign.cookie, sent), sent);
    });

    it('refuses the right value under a cookie name without the __Host- prefix', async () => {
      const sent = { ...fields(), _csrf: mine.csrfToken };
      const value = mine.cookie.slice(CSRF_COOKIE.length + 1);
      await expectRefused(await raw(action, `pacsgate.csrf=${value}; csrf=${value}`, sent), sent);
    });

    it('refuses the pair when the field is sent twice', async () => {
      const res = await api(t).post(action).type('form').set('Cookie', mine.cookie)
        .send(`${new URLSearchParams({ ...fields(), _csrf: mine.csrfToken }).toString()}&_csrf=${encodeURIComponent(mine.csrfToken)}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.location).toBeUndefined();
    });
  });

  it('sets the CSRF cookie HttpOnly, Secure, SameSite=Strict, host-only on both pages', async () => {
    for (const { page } of Object.values(forms)) {
      const res = await api(t).get(page);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((header) => header.startsWith(`${CSRF_COOKIE}=`)) ?? '';
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; SameSite=Strict/i);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Domain=/i);
    }
  });
});
