import { api, generateToken, uniqueUsername } from '../../support/api';
import { openForm, postForm } from '../../support/forms';
import { createTestApp, VIEWER_ORIGIN } from '../../support/test-app';

/** Allowed: https://viewer.example.org and https://*.clinic.example (one label). */
const ATTEMPTS = [
  'https://viewer.example.org.evil.com/',
  'https://VIEWER.EXAMPLE.ORG.EVIL.COM/',
  'https://evil.com?x=https://viewer.example.org',
  'https://evil.com/#https://viewer.example.org/',
  'https://evil.com/https://viewer.example.org/',
  'https://viewer.example.org@evil.com/',
  'https://viewer.example.org:443@evil.com/',
  'https://viewer.example.org%2F@evil.com/',
  'https://user:pass@viewer.example.org/',
  'https://evil.com\\@viewer.example.org/',
  'https:\\\\evil.com\\viewer.example.org',
  '\\\\evil.com/',
  '/\\evil.com/',
  '//evil.com/',
  '///evil.com/',
  '//viewer.example.org/',
  '/callback',
  'viewer.example.org/callback',
  'javascript:alert(document.domain)//https://viewer.example.org/',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'blob:https://viewer.example.org/0b5c3a3e-2b4e-4a5e-9f5e-3c1e2a9d8f00',
  'file:///etc/passwd',
  'ftp://viewer.example.org/',
  'http://viewer.example.org/',
  'https://viewer.example.org:8443/',
  'https://viewer.example.org\u3002evil.com/',
  'https://viewer.example.org%E3%80%82evil.com/',
  'https://evil.com%00.viewer.example.org/',
  'https://evil.com\u0000.viewer.example.org/',
  'https://evil.com%0d%0aLocation:%20https://viewer.example.org/',
  'https://a.b.clinic.example/',
  'https://clinic.example/',
  'https://.clinic.example/',
  'https://-ward.clinic.example/',
  'https://*.clinic.example/',
  'https://ward.clinic.example.evil.com/',
  'https://evilclinic.example/',
  'https://ward.clinic.example:8443/',
  'https://xn--vewer-jua.example.org/',
  'null',
  '',
  ' ',
];

/** Odd spellings that still land on an allowed origin, and where they land. */
const SAME_ORIGIN = [
  ['HTTPS://VIEWER.EXAMPLE.ORG/Callback', 'https://viewer.example.org/Callback'],
  ['https://viewer.example.org:443/cb', 'https://viewer.example.org/cb'],
  ['https://viewer.example.org/../../evil.com/', 'https://viewer.example.org/evil.com/'],
  ['https://viewer.example.org\\.evil.com/', 'https://viewer.example.org/.evil.com/'],
  ['https://viewer\u3002example\u3002org/cb', 'https://viewer.example.org/cb'],
  ['https://Ward-4.CLINIC.example/cb', 'https://ward-4.clinic.example/cb'],
] as const;

describe('open redirects through /sign-in and /sign-user', () => {
  const t = createTestApp({ PACSGATE_SIGN_IN_ATTEMPTS: '10000' });
  const username = uniqueUsername('redirect');
  const password = 'redirect password';
  afterAll(() => t.cleanup());
  beforeAll(async () => {
    await generateToken(t, { username, userPassword: password });
  });

  const page = (returnUri: string) => api(t).get(`/sign-in?return_uri=${encodeURIComponent(returnUri)}`);

  it.each(ATTEMPTS.map((uri) => [JSON.stringify(uri), uri]))('refuses return_uri %s on the page', async (_name, returnUri) => {
    const res = await page(returnUri);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('not on the allowed list');
    expect(res.headers.location).toBeUndefined();
  });

  it.each(ATTEMPTS.map((uri) => [JSON.stringify(uri), uri]))('refuses return_uri %s in a genuine sign-in post, right password and all', async (_name, returnUri) => {
    const form = await openForm(t, `/sign-in?return_uri=${encodeURIComponent(`${VIEWER_ORIGIN}/cb`)}`);
    const res = await postForm(t, '/sign-in', form, { username, password, return_uri: returnUri });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it.each(ATTEMPTS.filter(Boolean).map((uri) => [JSON.stringify(uri), uri]))('refuses referer %s on /sign-user', async (_name, referer) => {
    const res = await api(t).post('/sign-user').send({ username, password, referer });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid data' });
  });

  it.each(SAME_ORIGIN)('sends %s only to the allowed origin it names (%s)', async (returnUri, landing) => {
    expect((await page(returnUri)).status).toBe(200);
    const form = await openForm(t, `/sign-in?return_uri=${encodeURIComponent(returnUri)}`);
    const res = await postForm(t, '/sign-in', form, { username, password, return_uri: returnUri });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(landing);
  });
});
