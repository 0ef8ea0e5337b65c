import { bearer } from '../support/gate-client';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';

// PACSGATE_AUTH_CACHE_SECONDS through the real Nginx: an allow is reused for at most that long, so a
// revocation waits that long (the documented trade-off); a refusal is never reused.
const CACHE_SECONDS = 2;
const POLL_MS = 200;

let gate: TestStack;

beforeAll(async () => {
  gate = await startTestStack({ authCacheSeconds: CACHE_SECONDS });
}, 60000);

afterAll(async () => {
  await gate?.stop();
});

async function statusOnceRefused(token: string, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  let status: number;
  do {
    status = (await gate.client.get('/system', bearer(token))).status;
    if (status !== 200) return status;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  } while (Date.now() < deadline);
  return status;
}

it('keeps letting a just-revoked token through from the cache, then refuses it once the entry expires', async () => {
  const token = await issueAccessToken(gate.client, { username: 'cache-reader', canEdit: false });
  expect((await gate.client.get('/system', bearer(token))).status).toBe(200);
  expect((await gate.client.postJson('/auth/revoke', { token })).status).toBe(200);
  expect((await gate.client.get('/system', bearer(token))).status).toBe(200);
  expect(await statusOnceRefused(token, (CACHE_SECONDS + 3) * 1000)).toBe(401);
});

it('keys the cache by request class: a cached read allow never lets a read-only token write', async () => {
  const token = await issueAccessToken(gate.client, { username: 'cache-read-only', canEdit: false });
  expect((await gate.client.get('/system', bearer(token))).status).toBe(200);
  expect((await gate.client.send('POST', '/instances', { headers: bearer(token) })).status).toBe(403);
});

it('keys the cache by Origin: a cookie write allowed from the PACS’s pages is not reused for a foreign page', async () => {
  const token = await issueAccessToken(gate.client, { username: 'cache-editor', canEdit: true });
  const cookieWrite = (origin: string) => gate.client.send('POST', '/tools/find', { headers: { Cookie: `pacsgate_token=${token}`, Origin: origin } });
  expect((await cookieWrite(gate.settings.publicUrl)).status).not.toBe(403);
  expect((await cookieWrite('https://evil.example')).status).toBe(403);
});
