import { join } from 'node:path';
import { generateToken, generateTokenBody, issueSession, uniqueUsername } from '../support/api';
import { errorShapeOf } from '../support/clean-error';
import { openForm } from '../support/forms';
import { type HttpCall, listen, type ListeningServer, postBearer, postJson, type Reply } from '../support/listening-server';
import { createTestApp, VIEWER_ORIGIN } from '../support/test-app';
import { holdWriteLock, type WriteLock } from '../support/write-lock';


describe('SQLite busy: another connection holding the write lock', () => {
  const t = createTestApp();
  const databasePath = join(t.dir, 'pacsgate.sqlite');
  let server: ListeningServer;
  let lock: WriteLock | undefined;

  beforeAll(async () => {
    server = await listen({
      handle: (req, res) => {
        lock?.arrived();
        t.app.handle(req, res);
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  /** Every request that writes: each is built before the lock is taken, then sent while it is held. */
  const writers: Array<[string, () => Promise<HttpCall>, number]> = [
    ['/generate-token', () => Promise.resolve(postJson('/generate-token', generateTokenBody())), 200],
    ['/generate-access-token', async () => postBearer('/generate-access-token', await generateToken(t)), 200],
    ['/refresh-token', async () => postBearer('/refresh-token', (await issueSession(t)).refreshToken), 200],
    ['/revoke', async () => postJson('/revoke', { token: (await issueSession(t)).accessToken }), 200],
    ['/sign-user', async () => {
      const username = uniqueUsername('busy');
      await generateToken(t, { username, userPassword: 'busy password' });
      return postJson('/sign-user', { username, password: 'busy password', referer: VIEWER_ORIGIN });
    }, 200],
    ['/verify spending an explorer link', async () => ({ path: '/verify', headers: { 'x-original-uri': `/app/explorer.html?token=${await generateToken(t)}` } }), 204],
    ['/explorer', async () => ({ path: `/explorer?token=${await generateToken(t)}` }), 303],
    ['the /token form', async () => {
      const form = await openForm(t, '/token');
      const body = new URLSearchParams({ _csrf: form.csrfToken, name: 'Busy', username: uniqueUsername('busy-form'), adminPassword: generateTokenBody().password });
      return { method: 'POST', path: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie }, body: body.toString() };
    }, 200],
  ];

  /** Sends `call` while another connection holds the write lock; it lets go `holdMs` after the call arrives. */
  async function sendWhileLocked(call: HttpCall, holdMs: number): Promise<Reply & { lockReleasedFirst: boolean }> {
    lock = await holdWriteLock(databasePath, holdMs);
    try {
      const reply = await server.send(call);
      return { ...reply, lockReleasedFirst: lock.released() };
    } finally {
      lock.arrived();
      await lock.done;
      lock = undefined;
    }
  }

  it.each(writers)('waits for the lock on %s and then succeeds', async (_name, build, expected) => {
    const reply = await sendWhileLocked(await build(), 300);
    expect(reply.status).toBe(expected);
    // The holder commits only after the request arrived: an answer before that could not have written.
    expect(reply.lockReleasedFirst).toBe(true);
  });

  it('answers reads while a writer holds the lock (WAL)', async () => {
    const { accessToken } = await issueSession(t);
    const reply = await sendWhileLocked({ path: '/verify', headers: { authorization: `Bearer ${accessToken}` } }, 2000);
    expect(reply.status).toBe(204);
    expect(reply.lockReleasedFirst).toBe(false);
  });

  it('answers 503 with Retry-After, not a 500, when the lock outlasts the busy timeout; the next request works', async () => {
    const calls = [postBearer('/generate-access-token', await generateToken(t)), { path: '/verify', headers: { 'x-original-uri': `/app/explorer.html?token=${await generateToken(t)}` } }];
    for (const call of calls) {
      const reply = await sendWhileLocked(call, 6000);
      expect(reply.status).toBe(503);
      expect(Number(reply.headers['retry-after'])).toBeGreaterThan(0);
      expect(errorShapeOf(reply)).toBe(call.path === '/verify' ? 'empty' : 'json');
      expect((await server.send(call)).status).toBeLessThan(300);
    }
  }, 30_000);
});
