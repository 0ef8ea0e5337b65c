import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { api, bodyOf, exchange, generateToken, issueSession, uniqueUsername, verify } from '../support/api';
import { submitForm } from '../support/forms';
import { captureLogs } from '../support/log-capture';
import { useTestApp, VIEWER_ORIGIN } from '../support/test-app';

/**
 * The contract's "What the original got wrong", one group per item not already pinned by the
 * suite of its own feature (rate limits, refresh rotation, JWKS, local CSS have theirs).
 */
describe('what the original got wrong', () => {
  const logs = captureLogs('debug');
  const t = useTestApp({}, { logger: logs.logger });

  it.each([
    ['no headers at all', {}],
    ['a URI without a token', { 'X-Original-URI': '/dicom-web/studies?limit=1' }],
    ['an empty token parameter', { 'X-Original-URI': '/app/explorer.html?token=' }],
    ['an empty Authorization header', { Authorization: '' }],
    ['"Bearer" with nothing after it', { Authorization: 'Bearer ' }],
    ['cookies, none of them ours', { Cookie: 'session=abc; pacsgate_token_x=1' }],
    ['a PACS Origin but no token', { Origin: 'https://pacs.example.org', 'X-Original-Method': 'GET' }],
  ])('/verify answers 401, not 200, to a request with %s', async (_case, headers) => {
    expect((await verify(t, headers)).status).toBe(401);
  });

  describe('the sign-in page is no open redirect', () => {
    const username = uniqueUsername('redirect');
    beforeAll(() => generateToken(t, { username, userPassword: 'redirect password' }));

    it.each([
      'https://evil.example/steal',
      'https://viewer.example.org.evil.example/steal',
      'https://viewer.example.org@evil.example/steal',
      'https://evil.example#https://viewer.example.org',
      'https://evil.example/?https://viewer.example.org',
      'http://viewer.example.org/downgraded',
      '//evil.example/steal',
      'javascript:alert(1)',
    ])('refuses to send a token to %s', async (returnUri) => {
      const page = await api(t).get(`/sign-in?return_uri=${encodeURIComponent(returnUri)}`);
      expect(page.status).toBe(400);
      const posted = await submitForm(t, `/sign-in?return_uri=${encodeURIComponent(`${VIEWER_ORIGIN}/cb`)}`, '/sign-in', { username, password: 'redirect password', return_uri: returnUri });
      expect(posted.status).toBe(400);
      expect(posted.headers.location).toBeUndefined();
    });
  });

  it('reads the keys once at start: it signs and verifies with the key files gone', async () => {
    rmSync(join(t.dir, 'signing-keys'), { recursive: true, force: true });
    const { accessToken } = await exchange(t, await generateToken(t));
    expect((await verify(t, { Authorization: `Bearer ${accessToken}` })).status).toBe(204);
  });

  it('answers malformed bodies with a 4xx {message} and logs no error or stack trace for them', async () => {
    const session = await issueSession(t);
    const bodies = ['{"name":', '{"name": "x"}}', '\u0000\u0001', '{"__proto__": {"admin": true}}'];
    const unexpected: string[] = [];
    for (const path of ['/generate-token', '/sign-user', '/revoke', '/generate-access-token']) {
      for (const body of bodies) {
        const res = await api(t).post(path).set('Authorization', `Bearer ${session.accessToken}`).set('Content-Type', 'application/json').send(body);
        if (res.status < 400 || res.status >= 500 || typeof bodyOf(res).message !== 'string') unexpected.push(`${path} ${body} -> ${res.status} ${res.text}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(logs.text()).not.toMatch(/"level":(50|60)|"stack"/);
  });
});
