import { api, exchange, generateToken, issueSession, pairOf, presentToken, refresh, tokenOf, verify } from '../support/api';
import { claimsOf } from '../support/forge';
import { useTestApp, VIEWER_ORIGIN } from '../support/test-app';

describe('POST /generate-access-token', () => {
  const t = useTestApp();

  it('answers the access token in the Authorization header and the refresh token as a plain-text body', async () => {
    const authToken = await generateToken(t, { name: 'Ex Change', canEditResource: true });
    const res = await presentToken(t, '/generate-access-token', authToken);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const { accessToken, refreshToken } = pairOf(res);
    expect(claimsOf(accessToken)).toMatchObject({ type: 'access', name: 'Ex Change', username: claimsOf(authToken).username, canEditResource: true });
    expect(claimsOf(accessToken).exp).toBe(Number(claimsOf(accessToken).iat) + 86400);
    expect(claimsOf(refreshToken)).toMatchObject({ type: 'refresh' });
    expect(claimsOf(refreshToken).exp).toBe(Number(claimsOf(refreshToken).iat) + 2592000);
    expect((await verify(t, { Authorization: `Bearer ${accessToken}` })).status).toBe(204);
  });

  it('takes the bare token without "Bearer"', async () => {
    const res = await api(t).post('/generate-access-token').set('Authorization', await generateToken(t));
    expect(res.status).toBe(200);
  });

  it('spends the auth token: the second exchange is 403 "Invalid Token"', async () => {
    const authToken = await generateToken(t);
    await exchange(t, authToken);
    const again = await presentToken(t, '/generate-access-token', authToken);
    expect(again.status).toBe(403);
    expect(again.body).toEqual({ message: 'Invalid Token' });
  });

  it('answers 403 "Missing Token" without an Authorization header', async () => {
    const res = await api(t).post('/generate-access-token');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'Missing Token' });
  });

  it('answers 403 "Invalid Token" for garbage and for a refresh or access token', async () => {
    const session = await issueSession(t);
    for (const token of ['garbage', session.refreshToken, session.accessToken]) {
      const res = await presentToken(t, '/generate-access-token', token);
      expect([res.status, res.body]).toEqual([403, { message: 'Invalid Token' }]);
    }
  });

  it('answers 401 "Token Expired" once the auth token has lived 24 h', async () => {
    const authToken = await generateToken(t);
    t.clock.advanceSeconds(86400);
    const res = await presentToken(t, '/generate-access-token', authToken);
    expect([res.status, res.body]).toEqual([401, { message: 'Token Expired' }]);
  });

  it('answers 403 "Invalid Token" for an auth token revoked before use', async () => {
    const authToken = await generateToken(t);
    expect((await api(t).post('/revoke').send({ token: authToken })).status).toBe(200);
    expect((await presentToken(t, '/generate-access-token', authToken)).status).toBe(403);
  });

  describe('a token issued to a viewer (aud)', () => {
    const password = 'viewer user pw';
    let username: string;
    beforeAll(async () => {
      username = (await issueSession(t, { userPassword: password })).username;
    });
    const viewerToken = async () => tokenOf(await api(t).post('/sign-user').send({ username, password, referer: VIEWER_ORIGIN }));

    it.each([
      ['no Origin', undefined],
      ['another allowed Origin', 'https://ward-1.clinic.example'],
      ['a foreign Origin', 'https://evil.example'],
    ])('is refused with %s, and stays unspent', async (_case, origin) => {
      const token = await viewerToken();
      expect((await presentToken(t, '/generate-access-token', token, origin)).status).toBe(403);
      await exchange(t, token, VIEWER_ORIGIN);
    });

    it('is exchanged from its own Origin for tokens that carry the same aud', async () => {
      const pair = await exchange(t, await viewerToken(), VIEWER_ORIGIN);
      expect(claimsOf(pair.accessToken).aud).toBe(VIEWER_ORIGIN);
      expect((await presentToken(t, '/refresh-token', pair.refreshToken)).status).toBe(403);
      await refresh(t, pair.refreshToken, VIEWER_ORIGIN);
    });
  });
});

describe('POST /refresh-token', () => {
  const t = useTestApp();

  it('rotates: a new access token in the header, a new refresh token as the body', async () => {
    const first = await issueSession(t);
    const res = await presentToken(t, '/refresh-token', first.refreshToken);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['cache-control']).toBe('no-store');
    const second = pairOf(res);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(claimsOf(second.accessToken)).toMatchObject({ type: 'access', username: first.username });
    expect((await verify(t, { Authorization: `Bearer ${second.accessToken}` })).status).toBe(204);
  });

  it('revokes the whole family when a spent refresh token is presented again', async () => {
    const first = await issueSession(t);
    const second = await refresh(t, first.refreshToken);
    const reuse = await presentToken(t, '/refresh-token', first.refreshToken);
    expect([reuse.status, reuse.body]).toEqual([403, { message: 'Invalid Token' }]);
    for (const accessToken of [first.accessToken, second.accessToken]) {
      expect((await verify(t, { Authorization: `Bearer ${accessToken}` })).status).toBe(401);
    }
    expect((await presentToken(t, '/refresh-token', second.refreshToken)).status).toBe(403);
  });

  it('leaves other families of the same user alone', async () => {
    const victim = await issueSession(t);
    const otherDevice = await exchange(t, await generateToken(t, { username: victim.username }));
    await refresh(t, victim.refreshToken);
    await presentToken(t, '/refresh-token', victim.refreshToken);
    expect((await verify(t, { Authorization: `Bearer ${otherDevice.accessToken}` })).status).toBe(204);
  });

  it('answers 401 "Token Expired" after 30 days', async () => {
    const { refreshToken } = await issueSession(t);
    t.clock.advanceSeconds(2592000);
    const res = await presentToken(t, '/refresh-token', refreshToken);
    expect([res.status, res.body]).toEqual([401, { message: 'Token Expired' }]);
  });

  it('answers 403 for an access or auth token, and "Missing Token" without one', async () => {
    const session = await issueSession(t);
    expect((await presentToken(t, '/refresh-token', session.accessToken)).status).toBe(403);
    expect((await presentToken(t, '/refresh-token', await generateToken(t))).status).toBe(403);
    expect((await api(t).post('/refresh-token')).body).toEqual({ message: 'Missing Token' });
  });
});
