import { TEST_ADMIN_PASSWORD } from './test-stack';

/** Plain HTTP to one replica (not through Nginx), as the load balancer would reach it. */

export const kidOf = (token: string): string => String((JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { kid?: unknown }).kid);

/** A one-off auth token from `/generate-token`, creating the user. */
export async function authTokenFrom(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/generate-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `Replica ${username}`, username, password: TEST_ADMIN_PASSWORD, createUserIfNotExists: true }),
  });
  if (response.status !== 200) throw new Error(`generate-token on ${url} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Spends an auth token; the access token on success, else the status. */
export async function exchangeAt(url: string, authToken: string): Promise<{ status: number; accessToken?: string }> {
  const response = await fetch(`${url}/generate-access-token`, { method: 'POST', headers: { Authorization: `Bearer ${authToken}` } });
  await response.arrayBuffer();
  const authorization = response.headers.get('authorization');
  return { status: response.status, accessToken: authorization?.replace(/^Bearer /, '') };
}

export async function accessTokenFrom(url: string, username: string): Promise<string> {
  const { status, accessToken } = await exchangeAt(url, await authTokenFrom(url, username));
  if (status !== 200 || !accessToken) throw new Error(`generate-access-token on ${url} answered ${status}`);
  return accessToken;
}

/** `/verify` as Nginx's subrequest asks it, for a read of the PACS. */
export const verifyAt = async (url: string, accessToken: string): Promise<number> =>
  (await fetch(`${url}/verify`, { headers: { Authorization: `Bearer ${accessToken}`, 'X-Original-URI': '/system', 'X-Original-Method': 'GET' } })).status;

export async function revokeAt(url: string, token: string): Promise<void> {
  const response = await fetch(`${url}/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
  if (response.status !== 200) throw new Error(`revoke on ${url} answered ${response.status}`);
}

export interface FetchedForm {
  csrfToken: string;
  /** The CSRF cookie to send back (it is Secure: no client resends it over plain http by itself). */
  cookie: string;
}

/** GETs an admin page and keeps its CSRF field and cookie, as a browser would. */
export async function fetchForm(url: string, path: string): Promise<FetchedForm> {
  const response = await fetch(`${url}${path}`);
  const page = await response.text();
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('__Host-pacsgate.csrf='))?.split(';')[0];
  if (response.status !== 200 || !csrfToken || !cookie) throw new Error(`no form on ${url}${path}: ${response.status}`);
  return { csrfToken, cookie };
}

/** Posts the form to `url` (which may be another replica than the one that served it). */
export async function postForm(url: string, path: string, form: FetchedForm, fields: Record<string, string>): Promise<{ status: number; page: string }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: form.cookie },
    body: new URLSearchParams({ _csrf: form.csrfToken, ...fields }).toString(),
  });
  return { status: response.status, page: await response.text() };
}

/** Rotates the signing key on the admin page of `postTo`, with a form fetched from `fetchFrom`; returns the new kid. */
export async function rotateOnPage(fetchFrom: string, postTo: string): Promise<string> {
  const { status, page } = await postForm(postTo, '/keys', await fetchForm(fetchFrom, '/keys'), { adminPassword: TEST_ADMIN_PASSWORD });
  const kid = /Key (\S+) now signs new tokens/.exec(page)?.[1];
  if (status !== 200 || !kid) throw new Error(`rotation on ${postTo} answered ${status}`);
  return kid;
}

/** Polls `check` every 10 ms until it holds; the milliseconds that took. Fails after `timeoutMs`. */
export async function msUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) throw new Error(`still not so after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Math.round(performance.now() - start);
}
