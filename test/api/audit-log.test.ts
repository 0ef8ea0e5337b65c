import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { api, exchange, generateToken, issueSession, presentToken, refresh, revoke, uniqueUsername, verify } from '../support/api';
import { eventually, serverProcessPerSuite, sessionOverHttp, verifyOverHttp } from '../support/built-cli';
import { claimsOf } from '../support/forge';
import { submitForm } from '../support/forms';
import { ADMIN_PASSWORD, createTestApp, VIEWER_ORIGIN } from '../support/test-app';

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
