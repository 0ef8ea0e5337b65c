import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, serverProcessPerSuite, sessionOverHttp, verifyOverHttp } from '../support/built-cli';
import { api, exchange, generateToken, issueSession, presentToken, refresh, revoke, uniqueUsername, verify } from '../support/api';
import { claimsOf, resignedWithOurKey } from '../support/forge';
import { submitForm } from '../support/forms';
import { ADMIN_PASSWORD, createTestApp, type TestApp, VIEWER_ORIGIN } from '../support/test-app';

const PACS_ORIGIN = 'https://pacs.example.org';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('audit log: tokens, sign-ins and admin actions', () => {
  const t = createTestApp();
  afterAll(() => t.cleanup());
  beforeEach(() => t.audit.clear());

  it('records an admin issuing a token through the API, and the token by its id', async () => {
    const username = uniqueUsername('audited');
    const token = await generateToken(t, { username });
    expect(t.audit.events).toEqual([
      { event: 'admin.action', action: 'issue-token', username, via: 'api', ip: expect.any(String) },
      { event: 'token.issued', kind: 'auth', jti: claimsOf(token).jti, username },
    ]);
  });

  it('records an admin issuing a token on the /token page', async () => {
    const username = uniqueUsername('page-audited');
    await submitForm(t, '/token', '/token', { name: 'Page User', username, adminPassword: ADMIN_PASSWORD });
    expect(t.audit.of('admin.action')).toEqual([expect.objectContaining({ action: 'issue-token', username, via: 'page' })]);
  });

  it('records a wrong admin password', async () => {
    await api(t).post('/generate-token').send({ name: 'N', username: 'someone', password: 'wrong', createUserIfNotExists: true });
    expect(t.audit.events).toEqual([{ event: 'admin.refused', action: 'issue-token', reason: 'wrong-admin-password', via: 'api', ip: expect.any(String) }]);
  });

  it('records an exchange and a refresh with the family and the new tokens’ ids', async () => {
    const username = uniqueUsername();
    const authToken = await generateToken(t, { username });
    t.audit.clear();
    const pair = await exchange(t, authToken);
    const family = claimsOf(pair.accessToken).fam;
    expect(t.audit.events).toEqual([
      { event: 'token.exchanged', jti: claimsOf(authToken).jti, family, username, via: 'api' },
      { event: 'token.issued', kind: 'refresh', jti: claimsOf(pair.refreshToken).jti, family, username },
      { event: 'token.issued', kind: 'access', jti: claimsOf(pair.accessToken).jti, family, username },
    ]);
    t.audit.clear();
    await refresh(t, pair.refreshToken);
    expect(t.audit.of('token.refreshed')).toEqual([{ event: 'token.refreshed', jti: claimsOf(pair.refreshToken).jti, family }]);
  });

  it('records an explorer link spent into a cookie', async () => {
    const authToken = await generateToken(t);
    t.audit.clear();
    await api(t).get(`/explorer?token=${authToken}`);
    expect(t.audit.of('token.exchanged')).toEqual([expect.objectContaining({ jti: claimsOf(authToken).jti, via: 'explorer-link' })]);
  });

  it('records revocations: through /revoke and when a spent refresh token comes back', async () => {
    const first = await issueSession(t);
    await revoke(t, first.accessToken);
    const second = await issueSession(t);
    await refresh(t, second.refreshToken);
    await presentToken(t, '/refresh-token', second.refreshToken);
    const authToken = await generateToken(t);
    await revoke(t, authToken);
    expect(t.audit.of('token.revoked')).toEqual([
      { event: 'token.revoked', reason: 'revoke-endpoint', family: claimsOf(first.accessToken).fam },
      { event: 'token.revoked', reason: 'refresh-reuse', family: claimsOf(second.accessToken).fam },
      { event: 'token.revoked', reason: 'revoke-endpoint', jti: claimsOf(authToken).jti, kind: 'auth' },
    ]);
  });

  it('records sign-in successes and failures, with the address they came from', async () => {
    const username = uniqueUsername('signer');
    await generateToken(t, { username, userPassword: 'right password' });
    t.audit.clear();
    await api(t).post('/sign-user').send({ username, password: 'right password' });
    await api(t).post('/sign-user').send({ username, password: 'wrong password' });
    await submitForm(t, `/sign-in?return_uri=${encodeURIComponent(`${VIEWER_ORIGIN}/`)}`, '/sign-in', { username, password: 'wrong', return_uri: `${VIEWER_ORIGIN}/` });
    expect(t.audit.events.filter((event) => event.event.startsWith('sign-in.'))).toEqual([
      { event: 'sign-in.succeeded', method: 'password', via: 'api', username, ip: expect.any(String) },
      { event: 'sign-in.failed', method: 'password', via: 'api', username, ip: expect.any(String) },
      { event: 'sign-in.failed', method: 'password', via: 'page', username, ip: expect.any(String) },
    ]);
  });

  it('never holds a token, a password or a hash', async () => {
    const username = uniqueUsername('secretive');
    const authToken = await generateToken(t, { username, userPassword: 'user secret' });
    const pair = await exchange(t, authToken);
    const next = await refresh(t, pair.refreshToken);
    await api(t).post('/sign-user').send({ username, password: 'user secret' });
    await verify(t, { 'X-Original-URI': `/studies?token=${pair.accessToken}` });
    await revoke(t, next.accessToken);
    const text = JSON.stringify(t.audit.events);
    for (const secret of [authToken, pair.accessToken, pair.refreshToken, next.accessToken, next.refreshToken, 'user secret', ADMIN_PASSWORD, t.config.adminPasswordHash]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/\$2[aby]\$/);
    expect(text).not.toContain('eyJ');
  });
});

describe('audit log: refused /verify requests', () => {
  const t = createTestApp({ PACSGATE_AUDIT_REFUSED_PER_SECOND: '1000' });
  afterAll(() => t.cleanup());

  const refusalOf = async (headers: Record<string, string>) => {
    t.audit.clear();
    await verify(t, { 'X-Original-URI': '/dicom-web/studies', ...headers });
    return t.audit.of('verify.refused')[0];
  };

  it.each([
    ['no token at all', async () => ({}), 401, 'no-token'],
    ['an unreadable token', async () => bearer('not-a-jwt'), 401, 'malformed'],
    ['a refresh token', async (f: TestApp) => bearer((await issueSession(f)).refreshToken), 401, 'invalid'],
    ['a token re-signed with changed claims', async (f: TestApp) => bearer(resignedWithOurKey((await issueSession(f)).accessToken, f.keyring, { iss: 'https://elsewhere' })), 401, 'invalid'],
    ['a revoked token', async (f: TestApp) => {
      const { accessToken } = await issueSession(f);
      await revoke(f, accessToken);
      return bearer(accessToken);
    }, 401, 'revoked'],
    ['a spent auth token in the query', async (f: TestApp) => {
      const authToken = await generateToken(f);
      await exchange(f, authToken);
      return { 'X-Original-URI': `/app/explorer.html?token=${authToken}` };
    }, 401, 'query-token-unusable'],
    ['a cookie write from a foreign page', async (f: TestApp) => ({ Cookie: `pacsgate_token=${(await issueSession(f, { canEditResource: true })).accessToken}`, 'X-Original-Method': 'DELETE', Origin: 'https://evil.example' }), 403, 'untrusted-origin'],
  ] as const)('says why it refused %s', async (_name, headers, status, reason) => {
    expect(await refusalOf(await headers(t))).toMatchObject({ status, reason });
  });

  it('says when the token expired', async () => {
    const { accessToken } = await issueSession(t);
    t.clock.advanceSeconds(t.config.ttl.accessToken);
    expect(await refusalOf(bearer(accessToken))).toMatchObject({ status: 401, reason: 'expired' });
  });

  it('says when a viewer’s token comes from another site', async () => {
    const username = uniqueUsername('viewer');
    await generateToken(t, { username, userPassword: 'pw' });
    const signed = await api(t).post('/sign-user').send({ username, password: 'pw', referer: `${VIEWER_ORIGIN}/` });
    const accessToken = String((await presentToken(t, '/generate-access-token', signed.body.token, VIEWER_ORIGIN)).headers.authorization).slice(7);
    expect(await refusalOf({ ...bearer(accessToken), Origin: 'https://other.example' })).toMatchObject({ reason: 'wrong-audience' });
  });

  it('names the user refused a write with a read-only token, and the method and URI', async () => {
    const { accessToken, username } = await issueSession(t, { canEditResource: false });
    expect(await refusalOf({ ...bearer(accessToken), 'X-Original-Method': 'DELETE', 'X-Original-URI': '/studies/abc' })).toEqual({
      event: 'verify.refused', status: 403, reason: 'read-only', method: 'DELETE', uri: '/studies/abc', username,
    });
  });

  it('keeps the token out of a refused query URI', async () => {
    const refusal = await refusalOf({ 'X-Original-URI': '/app/explorer.html?token=forged.token.value&lang=en' });
    expect(refusal.uri).toBe('/app/explorer.html?token=[redacted]&lang=en');
  });

  it('logs no allowed request unless the access log is on', async () => {
    t.audit.clear();
    expect((await verify(t, bearer((await issueSession(t)).accessToken))).status).toBe(204);
    expect(t.audit.of('access')).toEqual([]);
  });
});

describe('audit log: a flood of invalid tokens', () => {
  const t = createTestApp();
  afterAll(() => t.cleanup());

  it('writes at most the per-second limit of lines and one count for the rest', async () => {
    for (let i = 0; i < 200; i += 1) await verify(t, bearer(`garbage-${i}`));
    expect(t.audit.of('verify.refused')).toHaveLength(t.config.audit.refusedPerSecond);
    t.clock.advanceSeconds(1);
    await verify(t, {});
    expect(t.audit.of('verify.refused-suppressed')).toEqual([expect.objectContaining({ count: 200 - t.config.audit.refusedPerSecond })]);
  });
});

describe('access log (PACSGATE_ACCESS_LOG=true)', () => {
  const t = createTestApp({ PACSGATE_ACCESS_LOG: 'true' });
  afterAll(() => t.cleanup());

  it('answers who opened which study: user, method and URI of every allowed request', async () => {
    const { accessToken, username } = await issueSession(t);
    t.audit.clear();
    await verify(t, { ...bearer(accessToken), 'X-Original-URI': '/dicom-web/studies/1.2.3/series', 'X-Original-Method': 'GET', Origin: PACS_ORIGIN });
    await verify(t, { 'X-Original-URI': `/app/explorer.html?token=${accessToken}` });
    expect(t.audit.of('access')).toEqual([
      { event: 'access', username, method: 'GET', uri: '/dicom-web/studies/1.2.3/series' },
      { event: 'access', username, method: 'GET', uri: '/app/explorer.html?token=[redacted]' },
    ]);
  });
});

describe('the audit file of a running server process', () => {
  const running = serverProcessPerSuite({ PACSGATE_ACCESS_LOG: 'true' });
  const auditPath = () => join(running.configDir, 'audit.log');
  const eventsIn = (path: string): Array<Record<string, unknown>> =>
    existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) : [];
  /** Lines are written asynchronously: wait for them, bounded. */
  const eventuallyIn = (path: string, holds: (events: Array<Record<string, unknown>>) => boolean) => eventually(() => eventsIn(path), holds);


  it('writes JSON lines to audit.log in the config dir, readable by its owner only', async () => {
    const { accessToken } = await sessionOverHttp(running.server.url, 'file-user', ADMIN_PASSWORD);
    await verifyOverHttp(running.server.url, accessToken, '/dicom-web/studies/1.2.3');
    await verifyOverHttp(running.server.url, 'not-a-token');
    const events = await eventuallyIn(auditPath(), (lines) => lines.some((line) => line.event === 'verify.refused'));
    expect(events).toContainEqual(expect.objectContaining({ log: 'audit', event: 'admin.action', action: 'issue-token', username: 'file-user' }));
    expect(events).toContainEqual(expect.objectContaining({ event: 'access', username: 'file-user', uri: '/dicom-web/studies/1.2.3' }));
    expect(events).toContainEqual(expect.objectContaining({ event: 'verify.refused', reason: 'malformed' }));
    expect(statSync(auditPath()).mode & 0o777).toBe(0o600);
  });

  it('continues in a new file under the same name after logrotate moves it and sends SIGHUP', async () => {
    renameSync(auditPath(), `${auditPath()}.1`);
    process.kill(running.server.pid, 'SIGHUP');
    // SIGHUP is handled asynchronously: keep making lines until one lands in the new file.
    const events = await eventually(async () => {
      await verifyOverHttp(running.server.url, 'after-rotation');
      return eventsIn(auditPath());
    }, (lines) => lines.some((line) => line.event === 'verify.refused'));
    expect(events.length).toBeGreaterThan(0);
    expect(eventsIn(`${auditPath()}.1`).length).toBeGreaterThan(0);
  });
});
