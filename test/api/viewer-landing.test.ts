import { api, generateToken, setCookie, setCookieValue, verify } from '../support/api';
import { claimsOf } from '../support/forge';
import { useTestApp } from '../support/test-app';

const GATE = 'https://pacs.example.org';
const signInAgain = (page: string) => `${GATE}/auth/sign-in?return_uri=${encodeURIComponent(`${GATE}/auth${page}`)}`;

describe('GET /viewer/<page> (where sign-in returns to the viewer)', () => {
  const t = useTestApp();
  const land = (path: string, cookie?: string) => {
    const req = api(t).get(path);
    return cookie === undefined ? req : req.set('Cookie', `pacsgate_token=${cookie}`);
  };

  it('spends the token into a Lax HttpOnly cookie and sends the browser to the same viewer page without token or state', async () => {
    const token = await generateToken(t, { username: 'viewer-user' });
    const res = await land(`/viewer/viewer?StudyInstanceUIDs=1.2.3&token=${encodeURIComponent(token)}&state=%7B%7D`);
    expect([res.status, res.headers.location]).toEqual([303, `${GATE}/viewer/viewer?StudyInstanceUIDs=1.2.3`]);
    expect(setCookie(res, 'pacsgate_token')).toMatch(/; Path=\/; .*HttpOnly; Secure; SameSite=Lax/);
    const cookie = setCookieValue(res, 'pacsgate_token') ?? '';
    expect(claimsOf(cookie)).toMatchObject({ type: 'access', username: 'viewer-user' });
    expect((await verify(t, { Cookie: `pacsgate_token=${cookie}`, 'X-Original-URI': '/dicom-web/studies' })).status).toBe(204);
  });

  it('sends a browser whose link was used elsewhere to sign in, and back to the same page', async () => {
    const token = await generateToken(t);
    await land(`/viewer/?token=${token}`);
    const again = await land(`/viewer/?token=${token}`);
    expect([again.status, again.headers.location]).toEqual([303, signInAgain('/viewer/')]);
    expect(setCookie(again, 'pacsgate_token')).toBeUndefined();
  });

  it('lets the browser that holds the cookie through when the link is reloaded', async () => {
    const token = await generateToken(t);
    const cookie = setCookieValue(await land(`/viewer/?token=${token}`), 'pacsgate_token');
    const reload = await land(`/viewer/?token=${token}`, cookie);
    expect([reload.status, reload.headers.location]).toEqual([303, `${GATE}/viewer/`]);
  });

  it.each([
    ['no token', '/viewer/viewer?StudyInstanceUIDs=1.2', '/viewer/viewer?StudyInstanceUIDs=1.2'],
    ['garbage', '/viewer/?token=garbage', '/viewer/'],
    ['two tokens', '/viewer/?token=a&token=b', '/viewer/'],
    ['a header smuggled in the token', '/viewer/?token=x%0d%0aSet-Cookie:%20pacsgate_token=evil', '/viewer/'],
    ['a path climbing out of the viewer', '/viewer/..%2f..%2fauth/token?token=x', '/viewer/'],
  ])('sends %s to sign in, never off the viewer', async (_case, path, page) => {
    const res = await land(path);
    expect([res.status, res.headers.location]).toEqual([303, signInAgain(page)]);
    expect(setCookie(res, 'pacsgate_token')).toBeUndefined();
  });
});
