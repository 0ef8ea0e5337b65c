import { api, generateToken, issueSession, presentToken, revoke, type Session, setCookie, setCookieValue, tokenOf, type UserSpec, verify } from '../support/api';
import { claimsOf, hs256WithPublicKey, resignedWithOurKey, signedWithForeignKey, tamperedToken, unsignedToken } from '../support/forge';
import { type TestApp, useTestApp, VIEWER_ORIGIN } from '../support/test-app';

const PACS_ORIGIN = 'https://pacs.example.org';
const COOKIE = 'pacsgate_token';

/** What a row may need; every row makes its own tokens, so the clock moving in one row cannot spoil another. */
interface Fixture {
  t: TestApp;
  session(spec?: UserSpec): Promise<Session>;
  authToken(spec?: UserSpec): Promise<string>;
  /** An access token bound to the viewer origin (aud), from /sign-user with a referer. */
  viewerAccessToken(): Promise<string>;
}

interface Row {
  name: string;
  headers(f: Fixture): Promise<Record<string, string>>;
  status: 204 | 401 | 403;
  /** 'same' when the cookie must carry the query token itself, 'fresh' for a newly made access token. */
  cookie?: 'same' | 'fresh';
}

/** The attributes of a Set-Cookie value, in any order. */
const cookieAttributes = (value: string | undefined) => (value ?? '').split(';').slice(1).map((part) => part.trim());
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const inQuery = (token: string, path = '/app/explorer.html') => ({ 'X-Original-URI': `${path}?token=${encodeURIComponent(token)}` });
const inCookie = (token: string) => ({ Cookie: `other=1; ${COOKIE}=${token}` });
const write = (method: string) => ({ 'X-Original-Method': method, 'X-Original-URI': '/instances' });
const readOnly = (f: Fixture) => f.session({ canEditResource: false });
const editor = (f: Fixture) => f.session({ canEditResource: true });

const rows: Row[] = [
  { name: 'refuses a request without any token', headers: () => Promise.resolve({ 'X-Original-URI': '/dicom-web/studies' }), status: 401 },
  { name: 'accepts an access token as "Bearer" in Authorization', headers: async (f) => bearer((await readOnly(f)).accessToken), status: 204 },
  { name: 'accepts a bare access token in Authorization', headers: async (f) => ({ Authorization: (await readOnly(f)).accessToken }), status: 204 },
  // RFC 7235: the scheme is case-insensitive, and /generate-access-token always read it so.
  { name: 'accepts "bearer" in lower case in Authorization', headers: async (f) => ({ Authorization: `bearer ${(await readOnly(f)).accessToken}` }), status: 204 },
  { name: 'accepts "BEARER" in capitals in Authorization', headers: async (f) => ({ Authorization: `BEARER ${(await readOnly(f)).accessToken}` }), status: 204 },
  { name: 'refuses "Bearer" with no token after it', headers: () => Promise.resolve({ Authorization: 'Bearer' }), status: 401 },
  { name: 'accepts an access token in ?token= of X-Original-URI and sets it as the cookie', headers: async (f) => inQuery((await readOnly(f)).accessToken), status: 204, cookie: 'same' },
  { name: 'accepts an access token among other query parameters', headers: async (f) => ({ 'X-Original-URI': `/dicom-web/studies?limit=10&token=${(await readOnly(f)).accessToken}&offset=0` }), status: 204, cookie: 'same' },
  // Nginx strips only a literal `token=` before Orthanc: any other spelling the query reader takes would reach Orthanc.
  { name: 'refuses an access token under a percent-encoded ?%74oken= key', headers: async (f) => ({ 'X-Original-URI': `/dicom-web/studies?%74oken=${(await readOnly(f)).accessToken}` }), status: 401 },
  { name: 'refuses a second ?token= even beside a valid Authorization header', headers: async (f) => ({ ...bearer((await readOnly(f)).accessToken), 'X-Original-URI': '/dicom-web/studies?token=a&token=b' }), status: 401 },
  { name: 'accepts an access token in the pacsgate_token cookie', headers: async (f) => inCookie((await readOnly(f)).accessToken), status: 204 },
  { name: 'spends an auth token in ?token= and sets a cookie with a fresh access token', headers: async (f) => inQuery(await f.authToken()), status: 204, cookie: 'fresh' },
  {
    name: 'accepts a spent auth token in ?token= when a valid cookie comes along',
    headers: async (f) => {
      const session = await readOnly(f);
      return { ...inQuery(session.authToken), ...inCookie(session.accessToken) };
    },
    status: 204,
  },
  { name: 'refuses a spent auth token in ?token= without a cookie', headers: async (f) => inQuery((await readOnly(f)).authToken), status: 401 },
  { name: 'refuses an unspent auth token in Authorization', headers: async (f) => bearer(await f.authToken()), status: 401 },
  { name: 'refuses a refresh token in Authorization', headers: async (f) => bearer((await readOnly(f)).refreshToken), status: 401 },
  { name: 'refuses a refresh token in ?token=', headers: async (f) => inQuery((await readOnly(f)).refreshToken), status: 401 },
  { name: 'refuses a refresh token in the cookie', headers: async (f) => inCookie((await readOnly(f)).refreshToken), status: 401 },
  {
    name: 'refuses an access token past its 24 h',
    headers: async (f) => {
      const { accessToken } = await readOnly(f);
      f.t.clock.advanceSeconds(86400);
      return bearer(accessToken);
    },
    status: 401,
  },
  { name: 'refuses a token whose payload was tampered with', headers: async (f) => bearer(tamperedToken((await readOnly(f)).accessToken, { username: 'admin' })), status: 401 },
  { name: 'refuses a read-only token tampered into an editor on POST', headers: async (f) => ({ ...bearer(tamperedToken((await readOnly(f)).accessToken, { canEditResource: true })), ...write('POST') }), status: 401 },
  { name: 'refuses an unsigned token (alg: none)', headers: async (f) => bearer(unsignedToken((await readOnly(f)).accessToken)), status: 401 },
  { name: 'refuses an HS256 token signed with our public key PEM', headers: async (f) => bearer(hs256WithPublicKey((await readOnly(f)).accessToken, f.t.keyring)), status: 401 },
  { name: 'refuses a token from a foreign RSA key that reuses our kid', headers: async (f) => bearer(signedWithForeignKey((await readOnly(f)).accessToken)), status: 401 },
  { name: 'refuses a token from a foreign RSA key under its own kid', headers: async (f) => bearer(signedWithForeignKey((await readOnly(f)).accessToken, {}, 'foreign-kid')), status: 401 },
  { name: 'refuses a token of our key naming another issuer', headers: async (f) => bearer(resignedWithOurKey((await readOnly(f)).accessToken, f.t.keyring, { iss: 'https://evil.example/auth' })), status: 401 },
  { name: 'refuses a forged token in ?token= as well', headers: async (f) => inQuery(signedWithForeignKey((await readOnly(f)).accessToken)), status: 401 },
  { name: 'refuses a forged token in the cookie as well', headers: async (f) => inCookie(unsignedToken((await readOnly(f)).accessToken)), status: 401 },
  { name: 'refuses garbage in Authorization', headers: () => Promise.resolve({ Authorization: 'Bearer not.a.jwt' }), status: 401 },
  {
    name: 'refuses an access token whose family was revoked',
    headers: async (f) => {
      const { accessToken } = await readOnly(f);
      expect((await revoke(f.t, accessToken)).status).toBe(200);
      return bearer(accessToken);
    },
    status: 401,
  },
  ...['POST', 'PUT', 'DELETE', 'PATCH'].map((method): Row => ({
    name: `refuses a read-only token on ${method}`, headers: async (f) => ({ ...bearer((await readOnly(f)).accessToken), ...write(method) }), status: 403,
  })),
  ...['GET', 'HEAD', 'OPTIONS'].map((method): Row => ({
    name: `allows a read-only token on ${method}`, headers: async (f) => ({ ...bearer((await readOnly(f)).accessToken), 'X-Original-Method': method }), status: 204,
  })),
  { name: 'allows an editor token on DELETE', headers: async (f) => ({ ...bearer((await editor(f)).accessToken), ...write('DELETE') }), status: 204 },
  { name: 'refuses a read-only user’s auth token in ?token= on POST', headers: async (f) => ({ ...inQuery(await f.authToken()), 'X-Original-Method': 'POST' }), status: 403 },
  { name: 'refuses a cookie-only write without Origin or Referer', headers: async (f) => ({ ...inCookie((await editor(f)).accessToken), ...write('POST') }), status: 403 },
  { name: 'refuses a cookie-only write from a foreign Origin', headers: async (f) => ({ ...inCookie((await editor(f)).accessToken), ...write('POST'), Origin: 'https://evil.example' }), status: 403 },
  { name: 'refuses a cookie-only write with a foreign Referer', headers: async (f) => ({ ...inCookie((await editor(f)).accessToken), ...write('PUT'), Referer: 'https://evil.example/pacs.example.org' }), status: 403 },
  { name: 'allows a cookie-only write from the PACS’s own Origin', headers: async (f) => ({ ...inCookie((await editor(f)).accessToken), ...write('POST'), Origin: PACS_ORIGIN }), status: 204 },
  { name: 'allows a cookie-only write with a Referer on an allowed viewer origin', headers: async (f) => ({ ...inCookie((await editor(f)).accessToken), ...write('DELETE'), Referer: 'https://ward-2.clinic.example/viewer' }), status: 204 },
  { name: 'refuses a viewer’s token presented from a foreign Origin', headers: async (f) => ({ ...bearer(await f.viewerAccessToken()), Origin: 'https://evil.example' }), status: 401 },
  { name: 'accepts a viewer’s token from its own Origin', headers: async (f) => ({ ...bearer(await f.viewerAccessToken()), Origin: VIEWER_ORIGIN }), status: 204 },
  { name: 'accepts a viewer’s token from the PACS’s own pages', headers: async (f) => ({ ...bearer(await f.viewerAccessToken()), Origin: PACS_ORIGIN }), status: 204 },
  { name: 'accepts a viewer’s token with no Origin (a plain GET)', headers: async (f) => bearer(await f.viewerAccessToken()), status: 204 },
];

describe('GET /verify', () => {
  const t = useTestApp();
  const viewerUser = { username: 'viewer-verify', userPassword: 'viewer password' };
  beforeAll(() => generateToken(t, viewerUser));
  const fixture: Fixture = {
    t,
    session: (spec) => issueSession(t, spec),
    authToken: (spec) => generateToken(t, spec),
    viewerAccessToken: async () => {
      const signed = await api(t).post('/sign-user').send({ username: viewerUser.username, password: viewerUser.userPassword, referer: VIEWER_ORIGIN });
      const res = await presentToken(t, '/generate-access-token', tokenOf(signed), VIEWER_ORIGIN);
      return String(res.headers.authorization).replace(/^Bearer /, '');
    },
  };

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const headers = await row.headers(fixture);
    const res = await verify(t, headers);
    expect(res.status).toBe(row.status);
    expect(res.text).toBe('');
    // The default auth cache (1 s) may keep a plain allow; refusals and answers that set the cookie never.
    expect(res.headers['cache-control']).toBe(row.status === 204 && !row.cookie ? 'max-age=1' : 'no-store');
    if (row.status === 204) expect(res.headers['x-auth-request-user']).toMatch(/\S/);
    else expect(res.headers['x-auth-request-user']).toBeUndefined();
    if (!row.cookie) {
      expect(setCookie(res, COOKIE)).toBeUndefined();
      return;
    }
    expect(cookieAttributes(setCookie(res, COOKIE))).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']));
    const value = setCookieValue(res, COOKIE) ?? '';
    const queryToken = new URLSearchParams(headers['X-Original-URI'].split('?')[1]).get('token');
    if (row.cookie === 'same') expect(value).toBe(queryToken);
    else expect(claimsOf(value).type).toBe('access');
  });

  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('reads "%s <token>" the same on /verify as on /generate-access-token', async (scheme) => {
    const session = await issueSession(t);
    expect((await verify(t, { Authorization: `${scheme} ${session.accessToken}` })).status).toBe(204);
    const authToken = await generateToken(t);
    expect((await api(t).post('/generate-access-token').set('Authorization', `${scheme} ${authToken}`)).status).toBe(200);
  });

  it('names the user in X-Auth-Request-User', async () => {
    const session = await issueSession(t, { username: 'named-user' });
    expect((await verify(t, bearer(session.accessToken))).headers['x-auth-request-user']).toBe('named-user');
  });

  it('lets the cookie from a spent explorer link open the PACS, and the link never works elsewhere', async () => {
    const authToken = await generateToken(t);
    const first = await verify(t, inQuery(authToken));
    const cookie = setCookieValue(first, COOKIE) ?? '';
    expect((await verify(t, inCookie(cookie))).status).toBe(204);
    expect((await verify(t, { ...inQuery(authToken), ...inCookie(cookie) })).status).toBe(204);
    expect((await verify(t, inQuery(authToken))).status).toBe(401);
    expect((await presentToken(t, '/generate-access-token', authToken)).status).toBe(403);
  });

  it('checks the token in Authorization alone: a valid cookie does not rescue a bad header', async () => {
    const session = await issueSession(t);
    expect((await verify(t, { Authorization: 'Bearer garbage', ...inCookie(session.accessToken) })).status).toBe(401);
  });

  it('takes the subrequest’s inherited method when X-Original-Method is missing', async () => {
    const session = await issueSession(t);
    expect((await api(t).post('/verify').set(bearer(session.accessToken))).status).toBe(403);
    expect((await api(t).post('/verify').set(bearer(session.accessToken)).set('X-Original-Method', 'GET')).status).toBe(204);
  });
});
