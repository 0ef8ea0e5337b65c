import { api, exchange, generateToken, issueSession, presentToken, refresh, revoke, setCookieValue, tokenOf, verify } from '../support/api';
import { submitForm } from '../support/forms';
import { captureLogs } from '../support/log-capture';
import { ADMIN_PASSWORD, useTestApp, VIEWER_ORIGIN } from '../support/test-app';

const USER_PASSWORD = 'user-password-for-redaction';

describe('log redaction', () => {
  const logs = captureLogs('debug');
  const t = useTestApp({ PACSGATE_LOG_LEVEL: 'debug' }, { logger: logs.logger });

  /** Every credential the flow handles: none of them may reach a log line or an audit event. */
  const secrets: string[] = [ADMIN_PASSWORD, USER_PASSWORD, t.config.adminPasswordHash, t.config.sessionSecret];
  const keep = <T extends string>(...values: T[]) => {
    secrets.push(...values);
    return values[0];
  };

  beforeAll(async () => {
    const session = await issueSession(t, { username: 'redacted-user', userPassword: USER_PASSWORD, canEditResource: true });
    keep(session.authToken, session.accessToken, session.refreshToken, (await t.store.users.findByUsername('redacted-user'))?.passwordHash ?? 'no hash');

    const signed = await api(t).post('/sign-user').send({ username: session.username, password: USER_PASSWORD, referer: VIEWER_ORIGIN });
    const viewerPair = await exchange(t, keep(tokenOf(signed)), VIEWER_ORIGIN);
    keep(viewerPair.accessToken, viewerPair.refreshToken);
    const rotated = await refresh(t, session.refreshToken);
    keep(rotated.accessToken, rotated.refreshToken);
    await presentToken(t, '/refresh-token', session.refreshToken);

    const link = keep(await generateToken(t));
    const viaLink = await verify(t, { 'X-Original-URI': `/app/explorer.html?token=${link}` });
    const cookie = keep(setCookieValue(viaLink, 'pacsgate_token') ?? 'no cookie');
    await verify(t, { Cookie: `pacsgate_token=${cookie}`, 'X-Original-Method': 'POST', Origin: 'https://evil.example' });
    await verify(t, { Authorization: `Bearer ${viewerPair.accessToken}`, Origin: 'https://evil.example' });
    await verify(t, { Authorization: `Bearer ${session.accessToken}tampered` });
    const explorer = await api(t).get(`/explorer?token=${keep(await generateToken(t))}`);
    keep(setCookieValue(explorer, 'pacsgate_token') ?? 'no cookie');
    await revoke(t, viewerPair.accessToken);

    const page = await submitForm(t, '/token', '/token', { name: 'Page', username: 'page-user', userPassword: USER_PASSWORD, adminPassword: ADMIN_PASSWORD });
    keep(/<textarea id="token"[^>]*>([^<]+)</.exec(page.text)?.[1] ?? 'no token');
    await submitForm(t, '/token', '/token', { name: 'Page', username: 'page-user', adminPassword: `${ADMIN_PASSWORD}-wrong` });
    const signIn = await submitForm(t, `/sign-in?return_uri=${encodeURIComponent(`${VIEWER_ORIGIN}/cb`)}`, '/sign-in', { username: 'page-user', password: USER_PASSWORD, return_uri: `${VIEWER_ORIGIN}/cb` });
    keep(new URL(signIn.headers.location).searchParams.get('token') ?? 'no token');
    await api(t).post('/sign-user').send({ username: 'page-user', password: `${USER_PASSWORD}-wrong` });
    await api(t).post('/generate-token').set('Content-Type', 'application/json').send(`{"password": "${ADMIN_PASSWORD}", `);
    await api(t).post('/pacs-auth').send({ 'token-value': `Bearer ${session.accessToken}`, method: 'get' });

    // Last, a failure the server must log: a request that reaches a closed database.
    const unspent = keep(await generateToken(t));
    await t.store.close();
    expect((await presentToken(t, '/generate-access-token', unspent)).status).toBe(500);
  });

  it('logged the server failure, with what went wrong', () => {
    expect(logs.text()).toMatch(/"level":50.*"msg":"request failed"/);
  });

  it('put no password, hash, secret or token in any log line', () => {
    const text = logs.text();
    for (const secret of secrets) expect(text.includes(secret) ? secret : 'absent').toBe('absent');
  });

  it('put no password, hash, secret or token in any audit event', () => {
    expect(t.audit.events.length).toBeGreaterThan(10);
    const text = JSON.stringify(t.audit.events);
    for (const secret of secrets) expect(text.includes(secret) ? secret : 'absent').toBe('absent');
  });
});
