import { DEFAULT_AUTH_CACHE_SECONDS } from '../../auth-server/src/config-fields';
import { bearer } from '../support/gate-client';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';

// How long a revoked token keeps opening the PACS through the real Nginx as set up, auth cache on
// by default. The test proves the refusal comes; the delay it measures is printed for
// docs/operations.md, not asserted (a loaded machine only makes it longer).
const TRIALS = 6;
const POLL_MS = 25;
/** Only against a hang: far beyond any cache the settings allow. */
const GIVE_UP_MS = 30_000;

let gate: TestStack;

beforeAll(async () => {
  gate = await startTestStack();
}, 60000);

afterAll(async () => {
  await gate?.stop();
});

/** Milliseconds from the revocation's answer to the first refusal, or null if none came. */
async function msUntilRefused(token: string): Promise<number | null> {
  const revokedAt = Date.now();
  while (Date.now() - revokedAt < GIVE_UP_MS) {
    const status = (await gate.client.get('/system', bearer(token))).status;
    if (status === 401) return Date.now() - revokedAt;
    expect(status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return null;
}

it(`refuses a revoked token once the default ${DEFAULT_AUTH_CACHE_SECONDS} s auth cache lets go of it`, async () => {
  expect(gate.settings.authCacheSeconds).toBe(DEFAULT_AUTH_CACHE_SECONDS);
  const delays: number[] = [];
  for (let trial = 0; trial < TRIALS; trial += 1) {
    const token = await issueAccessToken(gate.client, { username: `revoked-${trial}`, canEdit: false });
    // Start each trial at another point of Nginx's one-second clock: the delay depends on it.
    await new Promise((resolve) => setTimeout(resolve, (trial * 1000) / TRIALS));
    expect((await gate.client.get('/system', bearer(token))).status).toBe(200);
    expect((await gate.client.postJson('/auth/revoke', { token })).status).toBe(200);
    const delay = await msUntilRefused(token);
    expect(delay).not.toBeNull();
    delays.push(delay as number);
  }
  process.stdout.write(`revoked token refused after (ms, auth cache ${DEFAULT_AUTH_CACHE_SECONDS} s): ${delays.join(', ')}; longest ${Math.max(...delays)}\n`);
});
