import type { CreatedLink } from '../../auth-server/src/share/create-link';
import type { GateClient, GateResponse } from './gate-client';
import { TEST_ADMIN_PASSWORD } from './test-stack';

/** Share links through the real gate, for end-to-end tests (the attack matrix, the viewer). */

export const adminBasic = (): Record<string, string> => ({ Authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString('base64')}` });

/** `POST /auth/share` as the admin; `body` as the API takes it (`study`, `pin`, `canEditResource`, ...). */
export async function shareThroughGate(client: GateClient, body: Record<string, unknown>): Promise<CreatedLink> {
  const response = await client.postJson('/auth/share', { password: TEST_ADMIN_PASSWORD, ...body });
  if (response.status !== 201) throw new Error(`POST /auth/share answered ${response.status}: ${response.text}`);
  return JSON.parse(response.text) as CreatedLink;
}

export const setCookieOf = (response: GateResponse, name: string): string | undefined =>
  ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((line) => line.startsWith(`${name}=`));

/** What a browser that opened a link ends with: the last answer, and the `Cookie` header it now sends. */
export interface OpenedLink {
  response: GateResponse;
  /** `pacsgate_token=<scoped access token>`, or undefined when the link did not open. */
  cookie?: string;
}

/** Opens a link as a browser would: `GET /auth/open/<token>`, then the PIN form when `pin` is given. */
export async function openThroughGate(client: GateClient, link: CreatedLink, pin?: string): Promise<OpenedLink> {
  const opened = await client.get(new URL(link.url).pathname);
  const response = pin === undefined ? opened : await submitPin(client, link, opened, pin);
  return { response, cookie: setCookieOf(response, 'pacsgate_token')?.split(';')[0] };
}

async function submitPin(client: GateClient, link: CreatedLink, page: GateResponse, pin: string): Promise<GateResponse> {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  const csrfCookie = setCookieOf(page, '__Host-pacsgate.csrf')?.split(';')[0];
  const action = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf || !csrfCookie || !action) throw new Error(`no PIN form (${page.status}): ${page.text.slice(0, 200)}`);
  const body = new URLSearchParams({ _csrf: csrf, token: link.token, pin }).toString();
  const target = new URL(action, link.url).pathname;
  return client.send('POST', target, { headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: csrfCookie }, body });
}
