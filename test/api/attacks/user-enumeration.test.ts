import bcrypt from 'bcrypt';
import type { Response } from 'supertest';
import { api, generateToken } from '../../support/api';
import { openForm, postForm } from '../../support/forms';
import { createTestApp, VIEWER_ORIGIN } from '../../support/test-app';

const RETURN_URI = `${VIEWER_ORIGIN}/cb`;
const PASSWORD = 'the right password';

/** The reply without what differs between any two attempts: date, CSRF value (and the body hash), attempts left. */
function comparable(res: Response, typedUsername: string) {
  const { date: _date, 'set-cookie': _cookies, ratelimit: _left, etag: _bodyHash, ...headers } = res.headers;
  return {
    status: res.status,
    headers,
    body: res.text.replace(/name="_csrf" value="[^"]*"/, 'name="_csrf" value=""').split(typedUsername).join('USERNAME'),
  };
}

describe('user enumeration on /sign-user and /sign-in', () => {
  const t = createTestApp({ PACSGATE_SIGN_IN_ATTEMPTS: '10000' });
  // Of one length, so that the echoed name changes no Content-Length.
  const known = 'enum-known-user';
  const passwordless = 'enum-nopwd-user';
  const unknown = 'enum-ghost-user';
  let compare: jest.SpyInstance;
  afterAll(() => t.cleanup());

  beforeAll(async () => {
    await generateToken(t, { username: known, userPassword: PASSWORD });
    await generateToken(t, { username: passwordless });
    compare = jest.spyOn(bcrypt, 'compare');
  });
  afterAll(() => compare.mockRestore());

  /** Runs `attempt` and returns the reply and the bcrypt work it did: how many compares, at which cost. */
  async function withBcryptWork(attempt: () => Promise<Response>) {
    compare.mockClear();
    const res = await attempt();
    const costs = compare.mock.calls.map(([, hash]) => /^\$2[aby]\$(\d\d)\$/.exec(String(hash))?.[1]);
    return { res, costs };
  }

  const cases = [
    ['an unknown user', unknown, PASSWORD],
    ['a wrong password', known, 'a wrong password'],
    ['a user without a password', passwordless, PASSWORD],
  ] as const;

  it('answers /sign-user the same, and does the same bcrypt work, for unknown users, wrong passwords and users without one', async () => {
    const results = [];
    for (const [, username, password] of cases) {
      results.push(await withBcryptWork(() => api(t).post('/sign-user').send({ username, password })));
    }
    const expected = { status: 400, body: '{"message":"Invalid data"}' };
    for (const { res, costs } of results) {
      expect({ status: res.status, body: res.text }).toEqual(expected);
      expect(costs).toEqual([String(t.config.bcryptCost).padStart(2, '0')]);
    }
    const [first, ...others] = results.map(({ res }, index) => comparable(res, cases[index][1]));
    for (const other of others) expect(other).toEqual(first);
  });

  it('answers the /sign-in form the same, and does the same bcrypt work, in those three cases', async () => {
    const results = [];
    for (const [, username, password] of cases) {
      const form = await openForm(t, `/sign-in?return_uri=${encodeURIComponent(RETURN_URI)}`);
      results.push(await withBcryptWork(() => postForm(t, '/sign-in', form, { username, password, return_uri: RETURN_URI })));
    }
    for (const { res, costs } of results) {
      expect(res.status).toBe(401);
      expect(res.text).toContain('Invalid username or password.');
      expect(costs).toEqual([String(t.config.bcryptCost).padStart(2, '0')]);
    }
    const [first, ...others] = results.map(({ res }, index) => comparable(res, cases[index][1]));
    for (const other of others) expect(other).toEqual(first);
  });

  it('does the same bcrypt work when the password is right (so the spy sees what the server does)', async () => {
    const { res, costs } = await withBcryptWork(() => api(t).post('/sign-user').send({ username: known, password: PASSWORD }));
    expect(res.status).toBe(200);
    expect(costs).toEqual([String(t.config.bcryptCost).padStart(2, '0')]);
  });
});
