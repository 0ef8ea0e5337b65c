import { Agent } from 'node:http';
import { configDirPerSuite } from '../support/built-server';
import { type HttpCall, type Reply, postBearer, postJson, sendHttp } from '../support/listening-server';
import { ADMIN_PASSWORD } from '../support/test-app';

const ISSUES = 1000;
const CONCURRENCY = 16;
/** SIGKILL once this many issues and exchanges were acknowledged: mid-burst, with requests in flight. */
const KILL_AFTER = 900;
/** The failed-attempt limiter counts a request while it is in flight; 16 at once would pass its default 10. */
const ENV = { PACSGATE_ADMIN_ATTEMPTS: '10000' };

/** One auth token's life in the burst: what the server acknowledged (200) and what was only attempted. */
interface Chain {
  authToken?: string;
  exchangeAttempted: boolean;
  pair?: { access: string; refresh: string };
}

const pairOf = (reply: Reply) => ({ access: String(reply.headers.authorization).replace(/^Bearer /, ''), refresh: reply.body });

describe('kill -9 during a burst of token issues and exchanges', () => {
  const suite = configDirPerSuite();

  it('loses no acknowledged token, and no auth token is ever spent twice', async () => {
    const first = await suite.start(ENV);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const chains: Chain[] = Array.from({ length: ISSUES }, () => ({ exchangeAttempted: false }));
    let acknowledged = 0;
    let issued = 0;
    let killed = false;
    const send = (call: HttpCall) => sendHttp(first.port, call, agent);
    const acknowledge = () => {
      acknowledged += 1;
      if (acknowledged >= KILL_AFTER && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    };

    let next = 0;
    const burst = async () => {
      while (next < ISSUES && !killed) {
        const chain = chains[next];
        const index = next++;
        try {
          issued += 1;
          const issuedReply = await send(postJson('/generate-token', {
            name: `Burst ${index}`, username: `burst${index % 50}`, password: ADMIN_PASSWORD, createUserIfNotExists: true, canEditResource: index % 2 === 0,
          }));
          expect(issuedReply.status).toBe(200);
          chain.authToken = (JSON.parse(issuedReply.body) as { token: string }).token;
          acknowledge();
          if (killed) return;
          chain.exchangeAttempted = true;
          const exchanged = await send(postBearer('/generate-access-token', chain.authToken));
          expect(exchanged.status).toBe(200);
          chain.pair = pairOf(exchanged);
          acknowledge();
        } catch (error) {
          if (!killed) throw error;
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, burst));
    agent.destroy();
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const acknowledgedPairs = chains.filter((chain) => chain.pair).length;
    const exchangesSent = chains.filter((chain) => chain.exchangeAttempted).length;
    const after = await suite.start(ENV);
    const again = (call: HttpCall) => sendHttp(after.port, call);
    const issuedTokens = chains.filter((chain) => chain.authToken);
    const lost: string[] = [];
    const spentTwice: string[] = [];
    let respent = 0;

    // Every acknowledged access token still opens the PACS.
    for (const chain of issuedTokens.filter((c) => c.pair)) {
      const verified = await again({ path: '/verify', headers: { authorization: `Bearer ${chain.pair?.access}` } });
      if (verified.status !== 204) lost.push(`access token answered ${verified.status}`);
    }
    // Every acknowledged auth token: unspent ones spend exactly once now, spent ones never again.
    for (const chain of issuedTokens) {
      const token = chain.authToken as string;
      const firstTry = await again(postBearer('/generate-access-token', token));
      const mayBeSpent = chain.exchangeAttempted;
      if (firstTry.status === 200) {
        respent += 1;
        if (chain.pair) spentTwice.push('an exchanged auth token was exchanged again');
        chain.pair ??= pairOf(firstTry);
      } else if (!mayBeSpent) {
        lost.push(`never-exchanged auth token answered ${firstTry.status} ${firstTry.body}`);
      }
      const secondTry = await again(postBearer('/generate-access-token', token));
      if (secondTry.status !== 403) spentTwice.push(`second exchange answered ${secondTry.status}`);
      const viaLink = await again({ path: '/verify', headers: { 'x-original-uri': `/app/explorer.html?token=${token}` } });
      if (viaLink.status !== 401) spentTwice.push(`explorer link of a spent token answered ${viaLink.status}`);
    }
    // Every acknowledged refresh token still rotates, once.
    for (const chain of issuedTokens.filter((c) => c.pair)) {
      const rotated = await again(postBearer('/refresh-token', chain.pair?.refresh as string));
      if (rotated.status !== 200) lost.push(`refresh token answered ${rotated.status}`);
    }

    const inFlight = issued - issuedTokens.length + exchangesSent - acknowledgedPairs;
    console.log([
      `kill -9 mid-burst of ${ISSUES} issues + exchanges: ${issued} issues and ${exchangesSent} exchanges sent, SIGKILL after ${acknowledged} acknowledgements`,
      `  acknowledged: ${issuedTokens.length} auth tokens, ${acknowledgedPairs} access/refresh pairs; in flight at the kill: ${inFlight}`,
      `  after restart: every acknowledged access token verified, every refresh token rotated, every auth token refused a second spend;`,
      `  ${respent} auth tokens acknowledged but never exchanged were spent once now`,
      `  lost: ${lost.length}; spent twice: ${spentTwice.length}`,
    ].join('\n'));
    expect(issuedTokens.length).toBeGreaterThan(KILL_AFTER / 3);
    expect(issued).toBeLessThan(ISSUES);
    expect(lost).toEqual([]);
    expect(spentTwice).toEqual([]);
  }, 120_000);
});
