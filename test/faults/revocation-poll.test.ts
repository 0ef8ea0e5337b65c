import { configDirPerSuite } from '../support/built-server';
import { accessTokenFrom, msUntil, revokeAt, verifyAt } from '../support/replica-http';
import { ADMIN_PASSWORD } from '../support/test-app';

// Without notices (SQLite sends none; on PostgreSQL, while the listening connection is lost),
// each replica's poll alone must still bring another's revocation within the 1 s.
const WITHIN_MS = 1000;
const TRIALS = 5;

describe('two auth servers on one SQLite file, no revocation notices', () => {
  const suite = configDirPerSuite();

  it(`refuses on B a token revoked on A within ${WITHIN_MS} ms by polling alone`, async () => {
    const a = await suite.start();
    const b = await suite.start();
    const delays: number[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const accessToken = await accessTokenFrom(a.url, `polled-${trial}`, ADMIN_PASSWORD);
      expect(await verifyAt(b.url, accessToken)).toBe(204);
      // Start each trial at another point of B's poll.
      await new Promise((resolve) => setTimeout(resolve, (trial * 500) / TRIALS));
      await revokeAt(a.url, accessToken);
      delays.push(await msUntil(async () => (await verifyAt(b.url, accessToken)) === 401));
    }
    process.stdout.write(`revocation on A refused on B by polling alone after (ms): ${delays.join(', ')}; longest ${Math.max(...delays)}\n`);
    expect(Math.max(...delays)).toBeLessThan(WITHIN_MS);
  }, 60_000);
});
