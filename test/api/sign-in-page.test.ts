import { api, exchange, generateToken, uniqueUsername } from '../support/api';
import { claimsOf } from '../support/forge';
import { openForm, postForm, submitForm } from '../support/forms';
import { useTestApp, VIEWER_ORIGIN } from '../support/test-app';

const RETURN_URI = `${VIEWER_ORIGIN}/auth/callback`;
const RESPONSE_TYPE = JSON.stringify({ type: 'authToken', returnParams: { studyUid: '1.2.840.1', tab: 'viewer' } });
const pagePath = (returnUri = RETURN_URI, responseType: string | undefined = RESPONSE_TYPE) =>
  `/sign-in?return_uri=${encodeURIComponent(returnUri)}${responseType === undefined ? '' : `&response_type=${encodeURIComponent(responseType)}`}`;

describe('/sign-in page', () => {
  const t = useTestApp();
  const username = uniqueUsername('signer');
  const password = 'sign-in password';
  beforeAll(() => generateToken(t, { username, userPassword: password, canEditResource: true }));
  const signIn = (fields: Record<string, string>, path = pagePath()) =>
    submitForm(t, path, '/sign-in', { return_uri: RETURN_URI, response_type: RESPONSE_TYPE, ...fields });

  it('shows a username/password form that names the viewer and carries the return target', async () => {
    const { page } = await openForm(t, pagePath());
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('viewer.example.org');
    expect(page.text).toMatch(/<form method="post" action="sign-in"/);
    expect(page.text).toMatch(/name="username"/);
    expect(page.text).toMatch(/name="password" type="password"/);
    expect(page.text).toContain(`name="return_uri" value="${RETURN_URI}"`);
  });

  it('redirects to return_uri?token=…&state=… with the zhiva state and a token bound to the viewer', async () => {
    const res = await signIn({ username, password });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(RETURN_URI);
    expect(JSON.parse(location.searchParams.get('state') ?? '')).toEqual({ context: 'zhiva_auth', state: '', params: { studyUid: '1.2.840.1', tab: 'viewer' } });
    const token = location.searchParams.get('token') ?? '';
    expect(claimsOf(token)).toMatchObject({ type: 'auth', username, canEditResource: true, aud: VIEWER_ORIGIN });
    await exchange(t, token, VIEWER_ORIGIN);
  });

  it('sends a browser back to the PACS page it asked for, where the token opens the PACS', async () => {
    const explorer = 'https://pacs.example.org/app/explorer.html';
    const res = await submitForm(t, pagePath(explorer, undefined), '/sign-in', { return_uri: explorer, username, password });
    expect(res.status).toBe(303);
    const token = new URL(res.headers.location).searchParams.get('token') ?? '';
    const allowed = await api(t).get('/verify').set('X-Original-URI', `/app/explorer.html?token=${token}`);
    expect(allowed.status).toBe(204);
    expect(allowed.headers['set-cookie']?.[0]).toMatch(/^pacsgate_token=/);
  });

  it('sends empty params in the state when response_type is absent', async () => {
    const res = await submitForm(t, pagePath(RETURN_URI, undefined), '/sign-in', { username, password, return_uri: RETURN_URI });
    expect(JSON.parse(new URL(res.headers.location).searchParams.get('state') ?? '')).toEqual({ context: 'zhiva_auth', state: '', params: {} });
  });

  it('accepts a return_uri on a wildcard origin, and binds the token to that origin', async () => {
    const returnUri = 'https://ward-4.clinic.example/cb';
    const res = await submitForm(t, pagePath(returnUri), '/sign-in', { username, password, return_uri: returnUri, response_type: RESPONSE_TYPE });
    expect(res.status).toBe(303);
    expect(claimsOf(new URL(res.headers.location).searchParams.get('token') ?? '').aud).toBe('https://ward-4.clinic.example');
  });

  it('gives the same answer for a wrong password and an unknown user, keeping the typed username', async () => {
    const wrongPassword = await signIn({ username, password: 'wrong' });
    const unknownUser = await signIn({ username: 'nobody-at-all', password });
    for (const res of [wrongPassword, unknownUser]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('Invalid username or password.');
      expect(res.headers.location).toBeUndefined();
    }
    expect(wrongPassword.text).toContain(`value="${username}"`);
  });

  it('lets the user try again on the re-rendered form', async () => {
    const form = await openForm(t, pagePath());
    const failed = await postForm(t, '/sign-in', form, { username, password: 'wrong', return_uri: RETURN_URI, response_type: RESPONSE_TYPE });
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(failed.text)?.[1] ?? '';
    const retry = await postForm(t, '/sign-in', { ...form, csrfToken }, { username, password, return_uri: RETURN_URI, response_type: RESPONSE_TYPE });
    expect(retry.status).toBe(303);
  });

  it.each([
    ['no return_uri', '/sign-in'],
    ['a foreign return_uri', pagePath('https://evil.example/steal')],
    ['an invalid response_type', pagePath(RETURN_URI, '{not json')],
  ])('answers a 400 page for %s', async (_case, path) => {
    const res = await api(t).get(path);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/<p class="error" role="alert">[^<]+<\/p>/);
  });

  it('refuses a posted return_uri outside the allowed origins, even with the right password', async () => {
    const res = await signIn({ username, password, return_uri: 'https://evil.example/steal' });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).not.toMatch(/eyJ/);
  });
});
