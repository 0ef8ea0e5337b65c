import { api, exchange, generateToken, tokenOf, uniqueUsername } from '../support/api';
import { claimsOf } from '../support/forge';
import { useTestApp, VIEWER_ORIGIN } from '../support/test-app';

describe('POST /sign-user', () => {
  const t = useTestApp();
  const username = uniqueUsername('viewer-user');
  const password = 'user password 1';
  beforeAll(() => generateToken(t, { username, userPassword: password, canEditResource: true }));
  const signUser = (body: object) => api(t).post('/sign-user').send(body);

  it('answers an auth token for the right password, without aud when no referer is given', async () => {
    const res = await signUser({ username, password });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(claimsOf(tokenOf(res))).toMatchObject({ type: 'auth', username, canEditResource: true });
    expect(claimsOf(tokenOf(res)).aud).toBeUndefined();
  });

  it('sets aud to the origin of the referer, and the exchange then needs that Origin', async () => {
    const res = await signUser({ username, password, referer: `${VIEWER_ORIGIN}/viewer/study?x=1` });
    expect(claimsOf(tokenOf(res)).aud).toBe(VIEWER_ORIGIN);
    await exchange(t, tokenOf(res), VIEWER_ORIGIN);
  });

  it('accepts a referer on a wildcard origin', async () => {
    const res = await signUser({ username, password, referer: 'https://ward-7.clinic.example/' });
    expect(claimsOf(tokenOf(res)).aud).toBe('https://ward-7.clinic.example');
  });

  it.each([
    ['a wrong password', () => ({ username, password: 'wrong password' })],
    ['an unknown user', () => ({ username: 'nobody-here', password })],
    ['a referer outside the allowed origins', () => ({ username, password, referer: 'https://evil.example/' })],
    ['a referer that is not a URL', () => ({ username, password, referer: 'viewer' })],
    ['no password', () => ({ username })],
    ['a password that is not a string', () => ({ username, password: ['a'] })],
    ['an unknown field', () => ({ username, password, admin: true })],
  ])('answers 400 "Invalid data" for %s', async (_case, body) => {
    const res = await signUser(body());
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid data' });
  });

  it('refuses a user who has no password, whatever is typed', async () => {
    const passwordless = uniqueUsername();
    await generateToken(t, { username: passwordless });
    expect((await signUser({ username: passwordless, password: 'anything' })).status).toBe(400);
  });
});
