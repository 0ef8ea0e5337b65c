import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keysCommand } from '../../auth-server/src/cli/keys-command';
import { KeyringWatcher } from '../../auth-server/src/keys/keyring-watcher';
import type { Keyring, SigningKey } from '../../auth-server/src/keys/keyring';
import { keepRetiredSeconds, signingKeysDir } from '../../auth-server/src/keys/rotation';
import { api, bodyOf, generateToken, issueSession, verify } from '../support/api';
import { eventually, runBuiltCommand, serverProcessPerSuite, sessionOverHttp, verifyOverHttp } from '../support/built-cli';
import { serverEnv } from '../support/built-server';
import { runCommand } from '../support/cli';
import { headerOf, resignedWithOurKey } from '../support/forge';
import { openForm, submitForm } from '../support/forms';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app';

const kidOf = (token: string) => headerOf(token).kid;
const publishedKids = async (t: TestApp) => (bodyOf(await api(t).get('/.well-known/jwks.json')).keys as Array<{ kid: string }>).map((key) => key.kid).sort();
const verifies = async (t: TestApp, accessToken: string) => (await verify(t, { Authorization: `Bearer ${accessToken}` })).status;
const rotateOnPage = (t: TestApp, adminPassword = ADMIN_PASSWORD) => submitForm(t, '/keys', '/keys', { adminPassword });
/** A token signed with `key` that has not expired: only the key being gone can refuse it. */
const longLivedTokenFrom = (t: TestApp, key: SigningKey, token: string) =>
  resignedWithOurKey(token, { current: key } as Keyring, { exp: Math.floor(t.clock.now() / 1000) + 10 * keepRetiredSeconds(t.config.ttl) });

describe('key rotation from the admin page', () => {
  const t = createTestApp();
  afterAll(() => t.cleanup());

  it('is linked from the /token page and lists the signing key', async () => {
    expect((await api(t).get('/token')).text).toContain('href="keys"');
    const { page } = await openForm(t, '/keys');
    expect(page.text).toContain(t.keyring.current.kid);
    expect(page.text).toContain('signing');
  });

  it('refuses a wrong admin password, rotating nothing, and audits the refusal', async () => {
    const before = t.keyring.current.kid;
    const res = await rotateOnPage(t, 'wrong password');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Invalid admin password');
    expect(t.keyring.current.kid).toBe(before);
    expect(t.audit.of('admin.refused')).toContainEqual(expect.objectContaining({ action: 'rotate-key', reason: 'wrong-admin-password', via: 'page' }));
  });

  it('refuses a rotation without the form’s CSRF token', async () => {
    const before = t.keyring.current.kid;
    const res = await api(t).post('/keys').type('form').send({ adminPassword: ADMIN_PASSWORD });
    expect(res.status).toBe(403);
    expect(t.keyring.current.kid).toBe(before);
  });

  it('signs the very next token with the new key while the old one keeps verifying', async () => {
    const old = await issueSession(t);
    const res = await rotateOnPage(t);
    expect(res.status).toBe(200);
    const newKid = t.keyring.current.kid;
    expect(newKid).not.toBe(kidOf(old.accessToken));
    expect(res.text).toContain(newKid);
    expect(kidOf(await generateToken(t))).toBe(newKid);
    expect(await verifies(t, old.accessToken)).toBe(204);
    expect(await publishedKids(t)).toEqual([kidOf(old.accessToken), newKid].sort());
    expect(t.audit.of('admin.action')).toContainEqual(expect.objectContaining({ action: 'rotate-key', kid: newKid, via: 'page' }));
  });
});

describe('key rotation across a restart', () => {
  const t = createTestApp();
  afterAll(() => t.cleanup());

  it('keeps old tokens verifying after rotate + restart, and drops the old key once its tokens can have expired', async () => {
    const old = await issueSession(t);
    const oldKey = t.keyring.current;
    const forged = longLivedTokenFrom(t, oldKey, old.accessToken);
    await rotateOnPage(t);
    const newKid = t.keyring.current.kid;

    const restarted = t.restart();
    expect(await verifies(restarted, old.accessToken)).toBe(204);
    expect(await verifies(restarted, forged)).toBe(204);
    expect(kidOf((await issueSession(restarted)).accessToken)).toBe(newKid);
    await restarted.close();

    t.clock.advanceSeconds(keepRetiredSeconds(t.config.ttl));
    const pruned = t.restart();
    expect(await publishedKids(pruned)).toEqual([newKid]);
    expect(await verifies(pruned, forged)).toBe(401);
    expect(await verifies(pruned, (await issueSession(pruned)).accessToken)).toBe(204);
    await pruned.close();
  });
});

describe('npm run keys', () => {
  const t = createTestApp();
  afterAll(() => t.cleanup());
  const keys = (...args: string[]) => runCommand(keysCommand, t, args);

  it('prints the usage line for a missing or unknown action', () => {
    for (const args of [[], ['spin'], ['rotate', 'extra'], ['constructor']]) {
      const run = runCommand(keysCommand, t, args);
      expect(run.code).toBe(2);
      expect(run.err.join('\n')).toContain('usage: npm run keys -- rotate | prune | list');
    }
  });

  it('says why when there are no keys yet', () => {
    const run = runCommand(keysCommand, t, ['list'], { PACSGATE_CONFIG_DIR: join(t.dir, 'empty') });
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/no signing keys/);
  });

  it('rotates from another process; the running server signs with the new key once it polls `current`', async () => {
    const before = t.keyring.current.kid;
    const old = await issueSession(t);
    const run = keys('rotate');
    expect(run.code).toBe(0);
    const newKid = run.out.join('\n').match(/^Key (\S+) now signs/)?.[1];
    expect(newKid).toBeDefined();
    expect(t.keyring.current.kid).toBe(before);

    expect(new KeyringWatcher(t.keyring, signingKeysDir(t.dir)).check()).toBe(newKid);
    expect(kidOf(await generateToken(t))).toBe(newKid);
    expect(await verifies(t, old.accessToken)).toBe(204);
  });

  it('lists the current key and the retired one with the time it stays published', () => {
    const lines = keys('list').out;
    expect(lines[0]).toMatch(/^KID\s+STATE\s+RETIRED\s+PUBLISHED UNTIL$/);
    expect(lines[1]).toContain(`${t.keyring.current.kid}  signing`);
    expect(lines[2]).toMatch(/ retired +\d{4}-\d\d-\d\d \d\d:\d\d UTC +\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  });

  it('prunes nothing before the retired key’s tokens can have expired, then drops it', () => {
    expect(keys('prune').out).toEqual(['No retired key is past the lifetime of the tokens it signed: nothing to prune.']);
    t.clock.advanceSeconds(keepRetiredSeconds(t.config.ttl));
    const run = keys('prune');
    expect(run.out).toEqual([expect.stringMatching(/^Dropped \S+ \(retired .+\)\.$/)]);
    expect(keys('list').out).toHaveLength(2);
  });

  it('records who rotated and pruned in the audit log file', () => {
    const lines = readFileSync(join(t.dir, 'audit.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toContainEqual(expect.objectContaining({ event: 'admin.action', action: 'rotate-key', via: 'cli', osUser: 'operator' }));
    expect(lines).toContainEqual(expect.objectContaining({ event: 'key.pruned' }));
    expect(lines).toContainEqual(expect.objectContaining({ event: 'admin.action', action: 'prune-keys', count: 1 }));
  });
});

describe('npm run keys against a running server process', () => {
  const running = serverProcessPerSuite();

  it('has the server sign with the key the CLI rotated in, and keep verifying the old one', async () => {
    const old = await sessionOverHttp(running.server.url, 'before-rotation', ADMIN_PASSWORD);
    const run = await runBuiltCommand('keys', ['rotate'], serverEnv(running.configDir, running.server.port));
    const newKid = /^Key (\S+) now signs/.exec(run.stdout)?.[1];
    expect(newKid).toBeDefined();
    expect(newKid).not.toBe(old.authKid);
    // The server polls `current` every second; the deadline only bounds a broken poll.
    const next = await eventually(() => sessionOverHttp(running.server.url, 'after-rotation', ADMIN_PASSWORD), (session) => session.authKid === newKid);
    expect(await verifyOverHttp(running.server.url, next.accessToken)).toBe(204);
    expect(await verifyOverHttp(running.server.url, old.accessToken)).toBe(204);
  });
});
