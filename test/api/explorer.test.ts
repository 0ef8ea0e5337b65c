import { api, generateToken, setCookie, setCookieValue, verify } from '../support/api';
import { claimsOf } from '../support/forge';
import { useTestApp } from '../support/test-app';

describe('GET /explorer', () => {
  const t = useTestApp();
  const open = (token: string, cookie?: string) => {
    const req = api(t).get(`/explorer?token=${encodeURIComponent(token)}`);
    return cookie === undefined ? req : req.set('Cookie', `pacsgate_token=${cookie}`);
  };

  it('spends the auth token into an HttpOnly cookie and sends the browser to Orthanc Explorer with 303', async () => {
    const res = await open(await generateToken(t, { username: 'explorer-user' }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('https://pacs.example.org/app/explorer.html');
    expect(setCookie(res, 'pacsgate_token')).toMatch(/; Path=\/; .*HttpOnly; Secure; SameSite=Strict/);
    const cookie = setCookieValue(res, 'pacsgate_token') ?? '';
    expect(claimsOf(cookie)).toMatchObject({ type: 'access', username: 'explorer-user' });
    const verified = await verify(t, { Cookie: `pacsgate_token=${cookie}`, 'X-Original-URI': '/app/explorer.html' });
    expect(verified.status).toBe(204);
  });

  it('refuses the used link in another browser with a 401 page', async () => {
    const token = await generateToken(t);
    await open(token);
    const again = await open(token);
    expect(again.status).toBe(401);
    expect(again.headers['content-type']).toMatch(/^text\/html/);
    expect(again.text).toContain('already used');
    expect(setCookie(again, 'pacsgate_token')).toBeUndefined();
  });

  it('still redirects the browser that holds the cookie when the link is reloaded', async () => {
    const token = await generateToken(t);
    const cookie = setCookieValue(await open(token), 'pacsgate_token');
    const reload = await open(token, cookie);
    expect(reload.status).toBe(303);
    expect(reload.headers.location).toBe('https://pacs.example.org/app/explorer.html');
  });

  it.each([
    ['garbage', 'garbage'],
    ['no token', ''],
  ])('answers a 401 page for %s', async (_case, token) => {
    const res = await open(token);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});
