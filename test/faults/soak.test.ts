import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { configDirPerSuite } from '../support/built-server';
import { type HttpCall, type Reply, postBearer, postJson, sendHttp } from '../support/listening-server';
import { ADMIN_PASSWORD } from '../support/test-app';

/** `PACSGATE_SOAK_SECONDS` sets the length (60 by default); the bound below is on memory, never on time. */
const SOAK_SECONDS = Number(process.env.PACSGATE_SOAK_SECONDS ?? 60);
const SAMPLE_EVERY_MS = 5000;
const CONCURRENCY = 8;
/** Growth past the warmed-up RSS that counts as a leak; generous, as a GC's high-water mark moves. */
const MAX_GROWTH_MB = 96;

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

describe(`soak: ${SOAK_SECONDS} s of steady mixed load on the built server`, () => {
  const suite = configDirPerSuite();

  // Every session tries a wrong password: a one-second window keeps the limiter out of the way.
  it('keeps RSS flat: no growth past the warmed-up level beyond a generous bound, and no 5xx', async () => {
    const { pid, port } = await suite.start({ PACSGATE_ADMIN_ATTEMPTS: '10000', PACSGATE_SIGN_IN_ATTEMPTS: '10000', PACSGATE_RATE_LIMIT_WINDOW: '1' });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const send = (call: HttpCall) => sendHttp(port, call, agent);
    const counts = new Map<string, number>();
    const unexpected: string[] = [];
    const expectStatus = (name: string, reply: Reply, status: number): Reply => {
      counts.set(`${name} ${reply.status}`, (counts.get(`${name} ${reply.status}`) ?? 0) + 1);
      if (reply.status !== status && unexpected.length < 20) unexpected.push(`${name}: ${reply.status} ${reply.body.slice(0, 100)}`);
      return reply;
    };

    /** One sign-in's worth of work: issue, exchange, verify a few times, refresh, and some refused requests. */
    const session = async (n: number) => {
      const issued = expectStatus('issue', await send(postJson('/generate-token', { name: 'Soak', username: `soak${n % 20}`, password: ADMIN_PASSWORD, createUserIfNotExists: true })), 200);
      const exchanged = expectStatus('exchange', await send(postBearer('/generate-access-token', (JSON.parse(issued.body) as { token: string }).token)), 200);
      const access = String(exchanged.headers.authorization).replace(/^Bearer /, '');
      for (let i = 0; i < 20; i++) expectStatus('verify', await send({ path: '/verify', headers: { authorization: `Bearer ${access}`, 'x-original-uri': `/dicom-web/studies/${i}` } }), 204);
      expectStatus('verify-refused', await send({ path: '/verify', headers: { authorization: `Bearer ${access.slice(0, -8)}AAAAAAAA` } }), 401);
      expectStatus('refresh', await send(postBearer('/refresh-token', exchanged.body)), 200);
      expectStatus('bad-json', await send({ method: 'POST', path: '/sign-user', headers: { 'content-type': 'application/json' }, body: '{"username":' }), 400);
      expectStatus('wrong-password', await send(postJson('/sign-user', { username: `soak${n % 20}`, password: 'wrong' })), 400);
      expectStatus('pacs-auth', await send(postJson('/pacs-auth', { 'token-value': `Bearer ${access}`, method: 'get' })), 200);
    };

    const start = Date.now();
    const deadline = start + SOAK_SECONDS * 1000;
    const curve: Array<{ seconds: number; rss: number; requests: number }> = [];
    const requestsSoFar = () => [...counts.values()].reduce((sum, count) => sum + count, 0);
    const sample = () => curve.push({ seconds: Math.round((Date.now() - start) / 1000), rss: rssMb(pid), requests: requestsSoFar() });
    sample();
    const sampler = setInterval(sample, SAMPLE_EVERY_MS);
    let sessions = 0;
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < deadline) await session(sessions++);
      }));
    } finally {
      clearInterval(sampler);
      agent.destroy();
    }
    sample();

    const warmed = curve.find((point) => point.seconds >= Math.min(10, SOAK_SECONDS / 3)) ?? curve[0];
    const peak = Math.max(...curve.map((point) => point.rss));
    const end = curve[curve.length - 1].rss;
    console.log([
      `soak: ${SOAK_SECONDS} s, ${sessions} sessions, ${requestsSoFar()} requests (${[...counts].map(([name, count]) => `${name}×${count}`).join(', ')})`,
      `  RSS start ${curve[0].rss.toFixed(1)} MB, warmed ${warmed.rss.toFixed(1)} MB (${warmed.seconds} s), peak ${peak.toFixed(1)} MB, end ${end.toFixed(1)} MB`,
      ...curve.map((point) => `  t=${String(point.seconds).padStart(3)} s  rss=${point.rss.toFixed(1).padStart(6)} MB  requests=${point.requests}  ${'#'.repeat(Math.round(point.rss / 4))}`),
    ].join('\n'));

    expect(unexpected).toEqual([]);
    expect(sessions).toBeGreaterThan(CONCURRENCY);
    expect(end - warmed.rss).toBeLessThan(MAX_GROWTH_MB);
    expect(peak - warmed.rss).toBeLessThan(MAX_GROWTH_MB * 1.5);
  }, (SOAK_SECONDS + 90) * 1000);
});
