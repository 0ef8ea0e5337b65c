import { generateToken, issueSession, verify } from '../support/api';
import { tamperedToken } from '../support/forge';
import { useTestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('GET /verify with the Nginx auth cache on (PACSGATE_AUTH_CACHE_SECONDS=5)', () => {
  const t = useTestApp({ PACSGATE_AUTH_CACHE_SECONDS: '5', PACSGATE_ACCESS_TOKEN_TTL: '60' });

  it('lets Nginx keep an allow for the configured seconds', async () => {
    const { accessToken } = await issueSession(t);
    expect((await verify(t, bearer(accessToken))).headers['cache-control']).toBe('max-age=5');
  });

  it('never lets Nginx keep an allow past the token’s expiry', async () => {
    const { accessToken } = await issueSession(t);
    t.clock.advanceSeconds(57);
    expect((await verify(t, bearer(accessToken))).headers['cache-control']).toBe('max-age=3');
  });

  it('keeps refusals out of the cache', async () => {
    const { accessToken } = await issueSession(t);
    const res = await verify(t, bearer(tamperedToken(accessToken, { username: 'admin' })));
    expect(res.status).toBe(401);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('keeps an allow that sets the cookie out of the cache', async () => {
    const res = await verify(t, { 'X-Original-URI': `/app/explorer.html?token=${await generateToken(t)}` });
    expect(res.status).toBe(204);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('GET /verify by default (PACSGATE_AUTH_CACHE_SECONDS=1)', () => {
  const t = useTestApp();

  it('lets Nginx keep an allow for one second', async () => {
    const { accessToken } = await issueSession(t);
    expect((await verify(t, bearer(accessToken))).headers['cache-control']).toBe('max-age=1');
  });
});

describe('GET /verify with the auth cache off (PACSGATE_AUTH_CACHE_SECONDS=0)', () => {
  const t = useTestApp({ PACSGATE_AUTH_CACHE_SECONDS: '0' });

  it('says no-store on an allow', async () => {
    const { accessToken } = await issueSession(t);
    expect((await verify(t, bearer(accessToken))).headers['cache-control']).toBe('no-store');
  });
});
