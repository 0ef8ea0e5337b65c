import request, { type Response, type Test } from 'supertest';
import { ADMIN_PASSWORD, type TestApp } from './test-app';

/** Requests against the app's request listener (the same one `main.ts` serves). */
export const api = (t: TestApp) => request(t.app.handle);

export interface UserSpec {
  username?: string;
  name?: string;
  canEditResource?: boolean;
  userPassword?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface Session extends TokenPair {
  authToken: string;
  username: string;
}

let usernames = 0;
/** A username no other test in this worker uses. */
export const uniqueUsername = (prefix = 'user') => `${prefix}${++usernames}`;

/** Fails with the response body, so a broken precondition says why. */
export function expectStatus(res: Response, status: number): Response {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res;
}

/** A JSON reply's fields, to read without `any`. */
export const bodyOf = (res: Response) => res.body as Record<string, unknown>;

/** The `token` of a `{token}` reply (/generate-token, /sign-user); fails with the reply when there is none. */
export function tokenOf(res: Response): string {
  const { token } = bodyOf(res);
  if (typeof token !== 'string') throw new Error(`no token in the reply: ${res.status} ${res.text}`);
  return token;
}

export const generateTokenBody = (spec: UserSpec = {}) => ({
  name: spec.name ?? 'Test User',
  username: spec.username ?? uniqueUsername(),
  password: ADMIN_PASSWORD,
  canEditResource: spec.canEditResource ?? false,
  createUserIfNotExists: true,
  ...(spec.userPassword === undefined ? {} : { userPassword: spec.userPassword }),
});

/** Creates (or overwrites) a user through `/generate-token` and returns the one-off auth token. */
export async function generateToken(t: TestApp, spec: UserSpec = {}): Promise<string> {
  const res = expectStatus(await api(t).post('/generate-token').send(generateTokenBody(spec)), 200);
  return tokenOf(res);
}

/** `POST path` with `Authorization: Bearer <token>` and, when given, an `Origin`. */
export function presentToken(t: TestApp, path: '/generate-access-token' | '/refresh-token', token: string, origin?: string): Test {
  const req = api(t).post(path).set('Authorization', `Bearer ${token}`);
  return origin === undefined ? req : req.set('Origin', origin);
}

/** The contract's pair: access token in the `Authorization` header, refresh token as the body. */
export function pairOf(res: Response): TokenPair {
  return { accessToken: String(res.headers.authorization).replace(/^Bearer /, ''), refreshToken: res.text };
}

export async function exchange(t: TestApp, authToken: string, origin?: string): Promise<TokenPair> {
  return pairOf(expectStatus(await presentToken(t, '/generate-access-token', authToken, origin), 200));
}

export async function refresh(t: TestApp, refreshToken: string, origin?: string): Promise<TokenPair> {
  return pairOf(expectStatus(await presentToken(t, '/refresh-token', refreshToken, origin), 200));
}

/** A user with a spent auth token and the access + refresh pair it was exchanged for. */
export async function issueSession(t: TestApp, spec: UserSpec = {}): Promise<Session> {
  const username = spec.username ?? uniqueUsername();
  const authToken = await generateToken(t, { ...spec, username });
  return { username, authToken, ...(await exchange(t, authToken)) };
}

/** Nginx's auth subrequest: `GET /verify` with the headers it forwards. */
export const verify = (t: TestApp, headers: Record<string, string> = {}) => api(t).get('/verify').set(headers);

export const revoke = (t: TestApp, token: string) => api(t).post('/revoke').send({ token });

/** The `name=value; attributes` of the `Set-Cookie` header for `name`, if any. */
export function setCookie(res: Response, name: string): string | undefined {
  const headers = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return headers.find((header) => header.startsWith(`${name}=`));
}

/** Just the value of a `Set-Cookie` for `name`. */
export function setCookieValue(res: Response, name: string): string | undefined {
  const header = setCookie(res, name);
  return header === undefined ? undefined : decodeURIComponent(header.slice(name.length + 1).split(';')[0]);
}
