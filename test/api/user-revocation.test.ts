import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usersCommand } from '../../auth-server/src/cli/users-command';
import { api, generateToken, issueSession, presentToken, tokenOf, uniqueUsername, verify } from '../support/api';
import { eventually, runBuiltCommand, serverProcessPerSuite, sessionOverHttp, verifyOverHttp } from '../support/built-cli';
import { serverEnv } from '../support/built-server';
import { runAsyncCommand } from '../support/cli';
import { claimsOf } from '../support/forge';
import { submitForm } from '../support/forms';
import { ADMIN_PASSWORD, createTestApp, type TestApp, VIEWER_ORIGIN } from '../support/test-app';

const verifies = async (t: TestApp, accessToken: string) => (await verify(t, { Authorization: `Bearer ${accessToken}` })).status;
const usersPage = (t: TestApp, username: string, action: 'list' | 'revoke', adminPassword = ADMIN_PASSWORD) =>
  submitForm(t, '/users', '/users', { username, action, adminPassword });
/** The family ids shown in the page's table. */
const familiesShown = (html: string) => [...html.matchAll(/data-family="([^"]+)"/g)].map((match) => match[1]);

/** A session signed in from the viewer: its family carries the viewer origin as audience. */
async function viewerSession(t: TestApp, username: string): Promise<string> {
  await generateToken(t, { username, userPassword: 'viewer password' });
  const signed = await api(t).post('/sign-user').send({ username, password: 'viewer password', referer: `${VIEWER_ORIGIN}/` });
  return (await presentToken(t, '/generate-access-token', tokenOf(signed), VIEWER_ORIGIN)).headers.authorization.replace(/^Bearer /, '');
}

describe('/users page', () => {
  const t = createTestApp();
  afterAll(() => t.cleanup());

  it('is linked from the /token page', async () => {
    expect((await api(t).get('/token')).text).toContain('href="users"');
  });

  it('lists a user’s active token families with when they were made, for whom and until when', async () => {
    const username = uniqueUsername('listed');
    const fromViewer = await viewerSession(t, username);
    const fromExplorer = await issueSession(t, { username });
    const res = await usersPage(t, username, 'list');
    expect(res.status).toBe(200);
    expect(familiesShown(res.text).sort()).toEqual([claimsOf(fromViewer).fam, claimsOf(fromExplorer.accessToken).fam].sort());
    expect(res.text).toContain(VIEWER_ORIGIN);
    expect(res.text).toContain('2026-01-01 00:00 UTC');
    expect(res.text).toContain('2026-01-31 00:00 UTC');
    expect(t.audit.of('admin.action')).toContainEqual(expect.objectContaining({ action: 'list-user-tokens', username, via: 'page' }));
  });

  it('revokes all of them at once: /verify refuses them at the next request', async () => {
    const username = uniqueUsername('revoked');
    const first = await issueSession(t, { username });
    const second = await issueSession(t, { username });
    const bystander = await issueSession(t);
    const unspent = await generateToken(t, { username });
    const res = await usersPage(t, username, 'revoke');
    expect(res.text).toContain(`Revoked 3 tokens of ${username}`);
    expect(res.text).toContain('has no active tokens');
    expect(await verifies(t, first.accessToken)).toBe(401);
    expect(await verifies(t, second.accessToken)).toBe(401);
    expect((await presentToken(t, '/refresh-token', first.refreshToken)).status).toBe(403);
    expect((await presentToken(t, '/generate-access-token', unspent)).status).toBe(403);
    expect(await verifies(t, bystander.accessToken)).toBe(204);
    expect(t.audit.of('token.revoked').filter((event) => event.reason === 'admin')).toHaveLength(2);
  });

  it('refuses a wrong admin password and revokes nothing', async () => {
    const session = await issueSession(t);
    const res = await usersPage(t, session.username, 'revoke', 'wrong password');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Invalid admin password');
    expect(await verifies(t, session.accessToken)).toBe(204);
  });

  it('says so for a user that does not exist', async () => {
    const res = await usersPage(t, 'nobody-here', 'list');
    expect(res.text).toContain('There is no user nobody-here.');
  });

  it('refuses a post without the form’s CSRF token', async () => {
    const session = await issueSession(t);
    const res = await api(t).post('/users').type('form').send({ username: session.username, action: 'revoke', adminPassword: ADMIN_PASSWORD });
    expect(res.status).toBe(403);
    expect(await verifies(t, session.accessToken)).toBe(204);
  });
});

describe('npm run users', () => {
  const t = createTestApp();
  afterAll(() => t.cleanup());
  const users = (...args: string[]) => runAsyncCommand(usersCommand, t, args);

  /** What main.ts runs every second: the running server picking up another process's revocations. */
  async function runOnePoll(): Promise<void> {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const stop = t.app.services.revocations.startPolling(1000, (error) => { throw error; });
      await jest.advanceTimersByTimeAsync(1000);
      stop();
    } finally {
      jest.useRealTimers();
    }
  }

  it('prints the usage line for a missing or unknown action or argument', async () => {
    for (const args of [[], ['drop'], ['list', 'extra'], ['revoke'], ['delete', 'a', 'b']]) {
      const run = await users(...args);
      expect(run.code).toBe(2);
      expect(run.err.join('\n')).toContain('usage: npm run users -- list | revoke <username> | delete <username>');
    }
  });

  it('lists users with their rights, sign-in methods and active sign-ins', async () => {
    const username = uniqueUsername('cli-listed');
    await issueSession(t, { username, canEditResource: true, userPassword: 'pw' });
    const lines = (await users('list')).out;
    expect(lines[0]).toMatch(/^USERNAME\s+NAME\s+RIGHTS\s+SIGN-IN\s+ACTIVE SIGN-INS$/);
    expect(lines.find((line) => line.startsWith(`${username} `))).toMatch(/ edit +password +1$/);
  });

  it('revokes from another process; the running server refuses the tokens from its next poll', async () => {
    const session = await issueSession(t);
    const run = await users('revoke', session.username);
    expect(run).toMatchObject({ code: 0, out: [`Revoked 1 token of ${session.username}; a running server refuses them within a second.`] });
    expect(await verifies(t, session.accessToken)).toBe(204);
    await runOnePoll();
    expect(await verifies(t, session.accessToken)).toBe(401);
  });

  it('deletes a user after revoking their tokens, which stay refused', async () => {
    const session = await issueSession(t);
    const unspent = await generateToken(t, { username: session.username });
    const run = await users('delete', session.username);
    expect(run).toMatchObject({ code: 0, out: [`Deleted ${session.username} after revoking 2 tokens.`] });
    await runOnePoll();
    expect(await verifies(t, session.accessToken)).toBe(401);
    expect((await presentToken(t, '/generate-access-token', unspent)).status).toBe(403);
    expect(await t.store.users.findByUsername(session.username)).toBeUndefined();
    const restarted = t.restart();
    expect(await verifies(restarted, session.accessToken)).toBe(401);
    await restarted.close();
  });

  it('fails with a message for an unknown user', async () => {
    expect(await users('revoke', 'nobody-here')).toMatchObject({ code: 1, err: ['pacsgate: there is no user nobody-here'] });
  });

  it('records each action with the operator in the audit log file', () => {
    const lines = readFileSync(join(t.dir, 'audit.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const action of ['list-users', 'revoke-user-tokens', 'delete-user']) {
      expect(lines).toContainEqual(expect.objectContaining({ event: 'admin.action', action, via: 'cli', osUser: 'operator' }));
    }
    expect(lines).toContainEqual(expect.objectContaining({ event: 'token.revoked', reason: 'user-deleted' }));
  });
});

describe('npm run users against a running server process', () => {
  const running = serverProcessPerSuite();

  it('has the server refuse a user’s tokens once the CLI, another process, revoked them', async () => {
    const { accessToken } = await sessionOverHttp(running.server.url, 'process-user', ADMIN_PASSWORD);
    expect(await verifyOverHttp(running.server.url, accessToken)).toBe(204);
    const run = await runBuiltCommand('users', ['revoke', 'process-user'], serverEnv(running.configDir, running.server.port));
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('Revoked 1 token of process-user') });
    // The server polls every second; the deadline only bounds a broken poll, it measures nothing.
    expect(await eventually(() => verifyOverHttp(running.server.url, accessToken), (status) => status === 401)).toBe(401);
  });
});
