import type { Response } from 'supertest';
import { api, generateToken, generateTokenBody, uniqueUsername } from '../../support/api';
import { submitForm } from '../../support/forms';
import { createTestApp, type TestApp, VIEWER_ORIGIN } from '../../support/test-app';

/** The limiter keeps real time, so its window is short here; only waits depend on it, never an assertion. */
const WINDOW_SECONDS = 2;
const LIMIT = 3;
const RETURN_URI = `${VIEWER_ORIGIN}/cb`;

function retryAfter(res: Response): number {
  expect(res.status).toBe(429);
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(WINDOW_SECONDS);
  return seconds;
}

/** Waits out the window the 429 announced. */
const waitOut = (res: Response) => new Promise((resolve) => setTimeout(resolve, retryAfter(res) * 1000 + 200));

describe('rate limits reset after their window', () => {
  let t: TestApp & { cleanup(): void };
  beforeEach(() => {
    t = createTestApp({ PACSGATE_RATE_LIMIT_WINDOW: String(WINDOW_SECONDS), PACSGATE_ADMIN_ATTEMPTS: String(LIMIT), PACSGATE_SIGN_IN_ATTEMPTS: String(LIMIT) });
  });
  afterEach(() => t.cleanup());

  const adminAttempt = (password?: string, forwardedFor?: string) => {
    const req = api(t).post('/generate-token');
    return (forwardedFor ? req.set('X-Forwarded-For', forwardedFor) : req).send({ ...generateTokenBody(), ...(password && { password }) });
  };

  it('lets the admin in again after the window, with a fresh allowance rather than the old count', async () => {
    for (let attempt = 0; attempt < LIMIT; attempt++) expect((await adminAttempt('guess')).status).toBe(400);
    await waitOut(await adminAttempt());

    expect((await adminAttempt()).status).toBe(200);
    for (let attempt = 0; attempt < LIMIT; attempt++) expect((await adminAttempt('guess')).status).toBe(400);
    expect((await adminAttempt()).status).toBe(429);
  }, 20_000);

  it('lets a user sign in again on the page and the API after the window', async () => {
    const username = uniqueUsername('limited');
    await generateToken(t, { username, userPassword: 'right password' });
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      expect((await api(t).post('/sign-user').send({ username, password: 'guess' })).status).toBe(400);
    }
    const signInPage = `/sign-in?return_uri=${encodeURIComponent(RETURN_URI)}`;
    const blocked = await submitForm(t, signInPage, '/sign-in', { username, password: 'right password', return_uri: RETURN_URI });
    expect(blocked.headers['content-type']).toMatch(/^text\/html/);
    await waitOut(blocked);

    const page = await submitForm(t, signInPage, '/sign-in', { username, password: 'right password', return_uri: RETURN_URI });
    expect(page.status).toBe(303);
    expect((await api(t).post('/sign-user').send({ username, password: 'right password' })).status).toBe(200);
  }, 20_000);

  it('counts per client address as Nginx forwards it, and a spoofed X-Forwarded-For prefix does not escape it', async () => {
    const attacker = '203.0.113.7';
    for (let attempt = 0; attempt < LIMIT; attempt++) expect((await adminAttempt('guess', attacker)).status).toBe(400);
    expect((await adminAttempt(undefined, attacker)).status).toBe(429);
    // Nginx appends the address it saw to whatever the client sent.
    for (const spoofed of ['198.51.100.1', '127.0.0.1', '198.51.100.2, 10.0.0.1']) {
      expect((await adminAttempt(undefined, `${spoofed}, ${attacker}`)).status).toBe(429);
    }
    expect((await adminAttempt(undefined, '203.0.113.8')).status).toBe(200);
    expect((await adminAttempt('guess', '203.0.113.8')).status).toBe(400);
  });
});
