import { readFileSync } from 'node:fs';
import { configLayout } from '../../auth-server/src/config-files';
import { findFreePort } from '../../scripts/stack/ports';
import { bearer, type GateResponse } from '../support/gate-client';
import { getMetrics, parseMetricsText, samplesOf, seriesKey } from '../support/metrics-text';
import { startTestStack, type TestStack } from '../support/test-stack';
import { issueAccessToken, issueAuthToken } from '../support/tokens';

// The auth cache off: every PACS request through Nginx asks /verify once, so the counts are exact.
let gate: TestStack;
let metricsPort: number;
let readToken: string;

beforeAll(async () => {
  metricsPort = await findFreePort();
  gate = await startTestStack({ authCacheSeconds: 0, metricsPort });
  readToken = await issueAccessToken(gate.client, { username: 'e2e-metrics', canEdit: false });
}, 60000);

afterAll(async () => {
  await gate?.stop();
});

async function pacsgateSamples(): Promise<Record<string, number>> {
  const res = await getMetrics(metricsPort);
  expect(res.status).toBe(200);
  return samplesOf(parseMetricsText(res.text), 'pacsgate_');
}

/** What changed between two scrapes, series that did not change left out. */
function changes(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).filter(([key, value]) => value !== (before[key] ?? 0)).map(([key, value]) => [key, value - (before[key] ?? 0)]));
}

it('counts a known sequence of requests through Nginx exactly', async () => {
  const before = await pacsgateSamples();

  for (let request = 0; request < 3; request++) expect((await gate.client.get('/system', bearer(readToken))).status).toBe(200);
  expect((await gate.client.get('/system')).status).toBe(401);
  expect((await gate.client.get('/system', bearer('not-a-token'))).status).toBe(401);
  expect((await gate.client.send('DELETE', '/patients/0', { headers: bearer(readToken) })).status).toBe(403);
  expect((await gate.client.postJson('/auth/sign-user', { username: 'e2e-metrics', password: 'wrong password' })).status).toBe(400);
  expect((await gate.client.postJson('/auth/generate-token', { name: 'X', username: 'e2e-metrics-2', password: 'wrong', createUserIfNotExists: true })).status).toBe(400);
  await issueAuthToken(gate.client, { username: 'e2e-metrics-3', canEdit: false });

  const after = await pacsgateSamples();
  const { [seriesKey('pacsgate_verify_duration_seconds_sum')]: sum, ...changed } = changes(before, after);
  expect(sum).toBeGreaterThan(0);
  // Six /verify answers, each observed once; their buckets (cumulative, so several) are left to the API test.
  const counted = Object.fromEntries(Object.entries(changed).filter(([key]) => !key.startsWith('pacsgate_verify_duration_seconds_bucket')));
  expect(counted).toEqual({
    [seriesKey('pacsgate_verify_requests_total', { result: 'allowed' })]: 3,
    [seriesKey('pacsgate_verify_requests_total', { result: 'refused', reason: 'no-token' })]: 1,
    [seriesKey('pacsgate_verify_requests_total', { result: 'refused', reason: 'malformed' })]: 1,
    [seriesKey('pacsgate_verify_requests_total', { result: 'refused', reason: 'read-only' })]: 1,
    [seriesKey('pacsgate_verify_duration_seconds_count')]: 6,
    [seriesKey('pacsgate_sign_ins_total', { method: 'password', result: 'failed' })]: 1,
    [seriesKey('pacsgate_sign_ins_total', { method: 'admin', result: 'failed' })]: 1,
    [seriesKey('pacsgate_sign_ins_total', { method: 'admin', result: 'succeeded' })]: 1,
    [seriesKey('pacsgate_tokens_issued_total', { kind: 'auth' })]: 1,
  });
  expect(changed[seriesKey('pacsgate_verify_duration_seconds_bucket', { le: '+Inf' })]).toBe(6);
});

// Every way a client might spell its way to /metrics: through /auth/ (the auth server's port, which
// has no /metrics), past it with dot segments or encodings, or into location / (Orthanc, after /verify).
const SPELLINGS = [
  '/metrics', '/metrics/', '//metrics', '/auth/metrics', '/auth//metrics', '/auth/metrics/', '/auth/metrics?format=text', '/auth/METRICS',
  '/auth/%6detrics', '/auth/%6Detrics', '/auth/%2e%2e/metrics', '/auth/%2E%2E/metrics', '/auth/../metrics', '/auth/./metrics', '/auth/x/../metrics',
  '/auth/%2fmetrics', '/auth%2fmetrics', '/auth%2Fmetrics', '/%61uth/metrics', '/auth/verify/../metrics', '/_verify/../metrics', '/auth/metrics;',
  '/auth/metrics%00', '/auth/metrics%20', '/auth/metrics%3f', '/viewer/../auth/metrics', '/viewer/..%2fauth/metrics', '/auth/./%2e/metrics',
];

/**
 * Nginx's limit_req on /auth/ (10 r/s, burst 50) answers a burst 429: waits and sends again, so each
 * spelling reaches where Nginx routes it instead of passing for want of an answer.
 */
async function sendPastRateLimit(path: string, headers: Record<string, string>): Promise<GateResponse> {
  for (let attempt = 0; ; attempt++) {
    const res = await gate.client.send('GET', path, { headers, rawPath: true });
    if (res.status !== 429 || attempt === 20) return res;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What any piece of a scrape would show. */
const LEAKED = /# (TYPE|HELP) |pacsgate_verify_requests_total|process_cpu_seconds_total/;

describe('/metrics is not reachable through Nginx', () => {
  it('is served on its own listener (the control: the marker below is what leaking would look like)', async () => {
    expect((await getMetrics(metricsPort)).text).toMatch(LEAKED);
  });

  it('is a port the rendered Nginx config never names', () => {
    const nginxConfig = readFileSync(configLayout(gate.settings.configDir).nginxConfig, 'utf8');
    expect(nginxConfig).toContain(`:${gate.settings.authPort}`);
    expect(nginxConfig).not.toMatch(new RegExp(`:${metricsPort}\\b`));
  });

  it.each(SPELLINGS)('never answers %s with metrics, with or without a token', async (path) => {
    for (const headers of [{}, bearer(readToken), { ...bearer(readToken), Host: `127.0.0.1:${metricsPort}` }]) {
      // A /viewer/ spelling may be answered 200 with the OHIF page: only metrics must never come back.
      const res = await sendPastRateLimit(path, headers);
      expect(res.status).not.toBe(429);
      expect(res.text).not.toMatch(LEAKED);
    }
  });
});
