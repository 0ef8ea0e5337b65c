import type { Response } from 'supertest';
import { api, generateToken, generateTokenBody, uniqueUsername } from '../support/api';
import { submitForm } from '../support/forms';
import { ADMIN_PASSWORD, createTestApp, type TestApp, VIEWER_ORIGIN } from '../support/test-app';

const LIMIT = 3;
const SIGN_IN_PAGE = `/sign-in?return_uri=${encodeURIComponent(`${VIEWER_ORIGIN}/cb`)}`;

function expectTooManyAttempts(res: Response): void {
  expect(res.status).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number.isInteger(Number(res.headers['retry-after']))).toBe(true);
}

describe('rate limits on failed attempts', () => {
  let t: TestApp & { cleanup(): void };
  beforeEach(() => {
    t = createTestApp({ PACSGATE_ADMIN_ATTEMPTS: String(LIMIT), PACSGATE_SIGN_IN_ATTEMPTS: String(LIMIT) });
  });
  afterEach(() => t.cleanup());

  const wrongAdminPassword = () => api(t).post('/generate-token').send({ ...generateTokenBody(), password: 'guess' });

  it('answers 429 with Retry-After once the admin password was wrong too often, even to the right one', async () => {
    for (let attempt = 0; attempt < LIMIT; attempt++) expect((await wrongAdminPassword()).status).toBe(400);
    const blocked = await wrongAdminPassword();
    expectTooManyAttempts(blocked);
    expect(blocked.body).toEqual({ message: expect.any(String) });
    expectTooManyAttempts(await api(t).post('/generate-token').send(generateTokenBody()));
  });

  it('counts the admin page and the admin API together, and answers the page with a 429 page', async () => {
    for (let attempt = 0; attempt < LIMIT; attempt++) await wrongAdminPassword();
    const page = await submitForm(t, '/token', '/token', { name: 'Limited', username: uniqueUsername(), adminPassword: ADMIN_PASSWORD });
    expectTooManyAttempts(page);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('does not count successful admin requests', async () => {
    for (let attempt = 0; attempt < LIMIT + 2; attempt++) await generateToken(t);
    expect((await wrongAdminPassword()).status).toBe(400);
  });

  it('counts only wrong admin passwords: "User already exists" and "Invalid data" answers never lock an admin out', async () => {
    const existing = generateTokenBody();
    expect((await api(t).post('/generate-token').send(existing)).status).toBe(200);
    for (let attempt = 0; attempt < LIMIT + 2; attempt++) {
      const taken = await api(t).post('/generate-token').send({ ...existing, createUserIfNotExists: false });
      expect(taken.body).toEqual({ message: 'User already exists' });
      const invalid = await api(t).post('/generate-token').send({ ...generateTokenBody(), username: 'not a username!' });
      expect(invalid.status).toBe(400);
      const unknownField = await api(t).post('/generate-token').send({ ...generateTokenBody(), extra: 1 });
      expect(unknownField.body).toEqual({ message: 'Invalid data' });
    }
    expect((await api(t).post('/generate-token').send(generateTokenBody())).status).toBe(200);
  });

  it('does not count an admin page sent back for a bad field', async () => {
    for (let attempt = 0; attempt < LIMIT + 2; attempt++) {
      const page = await submitForm(t, '/token', '/token', { name: 'Limited', username: 'not a username!', adminPassword: ADMIN_PASSWORD });
      expect(page.status).toBe(400);
    }
    expect((await submitForm(t, '/token', '/token', { name: 'Limited', username: uniqueUsername(), adminPassword: ADMIN_PASSWORD })).status).toBe(200);
  });

  it('does not count sign-ins refused for their data, only wrong passwords', async () => {
    const username = uniqueUsername();
    await generateToken(t, { username, userPassword: 'right password' });
    for (let attempt = 0; attempt < LIMIT + 2; attempt++) {
      expect((await api(t).post('/sign-user').send({ username, password: 'right password', referer: 'https://evil.example' })).status).toBe(400);
      expect((await api(t).post('/sign-user').send({ username })).status).toBe(400);
    }
    expect((await api(t).post('/sign-user').send({ username, password: 'right password' })).status).toBe(200);
  });

  it('answers 429 with Retry-After after too many failed sign-ins, on the API and the page', async () => {
    const username = uniqueUsername();
    await generateToken(t, { username, userPassword: 'right password' });
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      expect((await api(t).post('/sign-user').send({ username, password: 'guess' })).status).toBe(400);
    }
    expectTooManyAttempts(await api(t).post('/sign-user').send({ username, password: 'right password' }));
    const page = await submitForm(t, SIGN_IN_PAGE, '/sign-in', { username, password: 'right password', return_uri: `${VIEWER_ORIGIN}/cb` });
    expectTooManyAttempts(page);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('keeps the admin and sign-in limits apart', async () => {
    for (let attempt = 0; attempt < LIMIT; attempt++) await api(t).post('/sign-user').send({ username: 'nobody', password: 'guess' });
    expect((await api(t).post('/generate-token').send(generateTokenBody())).status).toBe(200);
  });
});
