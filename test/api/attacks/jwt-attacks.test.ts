import type { Response } from 'supertest';
import { api, bodyOf, exchange, generateToken, issueSession, presentToken, revoke, tokenOf, uniqueUsername, verify } from '../../support/api';
import { type Forgery, forgeriesOf, type KeyBait, serveKeyBait } from '../../support/attack-tokens';
import { resignedWithOurKey } from '../../support/forge';
import { createTestApp, VIEWER_ORIGIN } from '../../support/test-app';

const DENIED = { granted: false, validity: 0 };

describe('JWT attacks on /verify, /pacs-auth and the exchange endpoints', () => {
  const t = createTestApp();
  let bait: KeyBait;
  let refused = 0;
  const now = () => Math.floor(t.clock.now() / 1000);

  beforeAll(async () => {
    bait = await serveKeyBait();
  });

  afterAll(async () => {
    console.log(`JWT attacks: ${refused} forged or misused token presentations refused, ${bait.hits()} fetches of attacker-advertised keys`);
    await bait.close();
    await t.cleanup();
  });

  /** Runs every presentation and lists the ones not refused the expected way, so one run shows them all. */
  async function expectAllRefused(forgeries: Forgery[], presentations: Array<[string, (token: string) => Promise<string | undefined>]>) {
    const accepted: string[] = [];
    for (const forgery of forgeries) {
      for (const [where, present] of presentations) {
        const problem = await present(forgery.token);
        if (problem) accepted.push(`${forgery.name} at ${where}: ${problem}`);
        else refused += 1;
      }
    }
    expect(accepted).toEqual([]);
    // Nor did any of them make the server fetch a key from the jku / x5u URL it advertised.
    expect(bait.hits()).toBe(0);
  }

  const status = (res: Response, expected: number, message?: string) =>
    res.status === expected && (message === undefined || bodyOf(res).message === message) ? undefined : `${res.status} ${res.text.slice(0, 120)}`;
  const exchangeRefusal = (res: Response, forgery: string) =>
    forgery.startsWith('expired') ? status(res, 401, 'Token Expired') : status(res, 403, 'Invalid Token');
  const pacsAuth = (token: string, method = 'get') =>
    api(t).post('/pacs-auth').send({ 'token-key': 'authorization', 'token-value': `Bearer ${token}`, method, level: 'system', uri: '/studies' });

  it('refuses every forged access token in the Authorization header, the query, the cookie and /pacs-auth', async () => {
    const { accessToken } = await issueSession(t, { canEditResource: true });
    const control = resignedWithOurKey(accessToken, t.keyring, {});
    expect((await verify(t, { authorization: `Bearer ${control}` })).status).toBe(204);
    expect(bodyOf(await pacsAuth(control)).granted).toBe(true);

    const forgeries = forgeriesOf(accessToken, t.keyring, bait.url, now());
    const byForgery = new Map(forgeries.map((forgery) => [forgery.token, forgery.name]));
    await expectAllRefused(forgeries, [
      ['Authorization', async (token) => status(await verify(t, { authorization: `Bearer ${token}`, 'x-original-method': 'POST' }), 401)],
      ['X-Original-URI ?token=', async (token) => status(await verify(t, { 'x-original-uri': `/dicom-web/studies?token=${encodeURIComponent(token)}` }), 401)],
      ['the pacsgate_token cookie', async (token) => status(await verify(t, { cookie: `pacsgate_token=${token}` }), 401)],
      ['/pacs-auth', async (token) => (bodyOf(await pacsAuth(token, 'post')).granted === false ? undefined : `granted to ${byForgery.get(token)}`)],
    ]);
  });

  it('refuses every forged auth token at the exchange, the explorer link and /verify, and the real one is still unspent', async () => {
    const authToken = await generateToken(t, { canEditResource: true });
    const forgeries = forgeriesOf(authToken, t.keyring, bait.url, now());
    const names = new Map(forgeries.map((forgery) => [forgery.token, forgery.name]));
    await expectAllRefused(forgeries, [
      ['/generate-access-token', async (token) => exchangeRefusal(await presentToken(t, '/generate-access-token', token), String(names.get(token)))],
      ['/explorer', async (token) => status(await api(t).get(`/explorer?token=${encodeURIComponent(token)}`), 401)],
      ['/verify ?token=', async (token) => status(await verify(t, { 'x-original-uri': `/app/explorer.html?token=${encodeURIComponent(token)}` }), 401)],
      ['/verify Authorization', async (token) => status(await verify(t, { authorization: `Bearer ${token}` }), 401)],
    ]);
    expect((await presentToken(t, '/generate-access-token', authToken)).status).toBe(200);
  });

  it('refuses every forged refresh token at /refresh-token and /verify, and the real one still rotates', async () => {
    const { refreshToken } = await issueSession(t);
    const forgeries = forgeriesOf(refreshToken, t.keyring, bait.url, now());
    const names = new Map(forgeries.map((forgery) => [forgery.token, forgery.name]));
    await expectAllRefused(forgeries, [
      ['/refresh-token', async (token) => exchangeRefusal(await presentToken(t, '/refresh-token', token), String(names.get(token)))],
      ['/verify Authorization', async (token) => status(await verify(t, { authorization: `Bearer ${token}` }), 401)],
    ]);
    expect((await presentToken(t, '/refresh-token', refreshToken)).status).toBe(200);
  });

  it('refuses each token type where another is expected', async () => {
    const session = await issueSession(t, { canEditResource: true });
    const authToken = await generateToken(t);
    await expectAllRefused([
      { name: 'a refresh token', token: session.refreshToken },
      { name: 'an auth token', token: authToken },
    ], [
      ['/verify Authorization', async (token) => status(await verify(t, { authorization: `Bearer ${token}` }), 401)],
      ['/verify cookie', async (token) => status(await verify(t, { cookie: `pacsgate_token=${token}` }), 401)],
      ['/pacs-auth', async (token) => (bodyOf(await pacsAuth(token)).granted === false ? undefined : 'granted')],
    ]);
    await expectAllRefused([{ name: 'a refresh token', token: session.refreshToken }], [
      ['/verify ?token=', async (token) => status(await verify(t, { 'x-original-uri': `/studies?token=${token}` }), 401)],
      ['/generate-access-token', async (token) => status(await presentToken(t, '/generate-access-token', token), 403, 'Invalid Token')],
    ]);
    await expectAllRefused([{ name: 'an access token', token: session.accessToken }], [
      ['/refresh-token', async (token) => status(await presentToken(t, '/refresh-token', token), 403, 'Invalid Token')],
      ['/generate-access-token', async (token) => status(await presentToken(t, '/generate-access-token', token), 403, 'Invalid Token')],
    ]);
    await expectAllRefused([{ name: 'an auth token', token: authToken }], [
      ['/refresh-token', async (token) => status(await presentToken(t, '/refresh-token', token), 403, 'Invalid Token')],
    ]);
    // None of that spent or revoked anything real.
    expect((await presentToken(t, '/refresh-token', session.refreshToken)).status).toBe(200);
    expect((await presentToken(t, '/generate-access-token', authToken)).status).toBe(200);
  });

  it('refuses a viewer-bound token presented by another origin', async () => {
    const username = uniqueUsername('aud');
    await generateToken(t, { username, userPassword: 'viewer secret' });
    const signIn = async () => tokenOf(await api(t).post('/sign-user').send({ username, password: 'viewer secret', referer: VIEWER_ORIGIN }));
    const lookalikes = ['https://evil.example', 'https://viewer.example.org.evil.com', 'http://viewer.example.org', 'null'];

    await expectAllRefused(lookalikes.map((origin) => ({ name: `Origin ${origin}`, token: origin })), [
      ['/generate-access-token', async (origin) => status(await presentToken(t, '/generate-access-token', await signIn(), origin), 403, 'Invalid Token')],
    ]);
    await expectAllRefused([{ name: 'no Origin at all', token: '' }], [
      ['/generate-access-token', async () => status(await presentToken(t, '/generate-access-token', await signIn()), 403, 'Invalid Token')],
    ]);

    const pair = await exchange(t, await signIn(), VIEWER_ORIGIN);
    await expectAllRefused(lookalikes.map((origin) => ({ name: `Origin ${origin}`, token: origin })), [
      ['/verify', async (origin) => status(await verify(t, { authorization: `Bearer ${pair.accessToken}`, origin }), 401)],
      ['/refresh-token', async (origin) => status(await presentToken(t, '/refresh-token', pair.refreshToken, origin), 403, 'Invalid Token')],
    ]);
    expect((await verify(t, { authorization: `Bearer ${pair.accessToken}`, origin: VIEWER_ORIGIN })).status).toBe(204);
    expect((await presentToken(t, '/refresh-token', pair.refreshToken, VIEWER_ORIGIN)).status).toBe(200);
  });

  it('refuses revoked tokens everywhere', async () => {
    const session = await issueSession(t, { canEditResource: true });
    expect((await revoke(t, session.accessToken)).status).toBe(200);
    const authToken = await generateToken(t);
    expect((await revoke(t, authToken)).status).toBe(200);
    await expectAllRefused([{ name: 'a revoked access token', token: session.accessToken }], [
      ['/verify', async (token) => status(await verify(t, { authorization: `Bearer ${token}` }), 401)],
      ['/pacs-auth', async (token) => (bodyOf(await pacsAuth(token)).granted === false ? undefined : 'granted')],
    ]);
    await expectAllRefused([{ name: 'the refresh token of a revoked family', token: session.refreshToken }], [
      ['/refresh-token', async (token) => status(await presentToken(t, '/refresh-token', token), 403, 'Invalid Token')],
    ]);
    await expectAllRefused([{ name: 'a revoked auth token', token: authToken }], [
      ['/generate-access-token', async (token) => status(await presentToken(t, '/generate-access-token', token), 403, 'Invalid Token')],
      ['/explorer', async (token) => status(await api(t).get(`/explorer?token=${token}`), 401)],
    ]);
  });

  it('refuses real tokens once they expire', async () => {
    const session = await issueSession(t);
    const authToken = await generateToken(t);
    t.clock.advanceSeconds(Math.max(t.config.ttl.accessToken, t.config.ttl.authToken));
    try {
      await expectAllRefused([{ name: 'an expired access token', token: session.accessToken }], [
        ['/verify', async (token) => status(await verify(t, { authorization: `Bearer ${token}` }), 401)],
        ['/pacs-auth', async (token) => (JSON.stringify((await pacsAuth(token)).body) === JSON.stringify(DENIED) ? undefined : 'granted')],
      ]);
      await expectAllRefused([{ name: 'an expired auth token', token: authToken }], [
        ['/generate-access-token', async (token) => status(await presentToken(t, '/generate-access-token', token), 401, 'Token Expired')],
      ]);
    } finally {
      t.clock.advanceSeconds(-Math.max(t.config.ttl.accessToken, t.config.ttl.authToken));
    }
  });
});
