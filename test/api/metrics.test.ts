import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../auth-server/src/logger';
import { startMetricsServer } from '../../auth-server/src/metrics/metrics-server';
import type { CreatedLink } from '../../auth-server/src/share/create-link';
import { api, exchange, expectStatus, generateToken, generateTokenBody, presentToken, refresh, revoke, tokenOf, uniqueUsername, verify } from '../support/api';
import { openForm, postForm } from '../support/forms';
import { getMetrics, parseMetricsText, type Scrape, samplesOf, seriesKey } from '../support/metrics-text';
import { ADMIN_BASIC, createShare, openPath, useShareFixture } from '../support/share';

// Two wrong attempts are allowed per limit, the third is refused 429: each limit is met once.
const f = useShareFixture({ PACSGATE_ADMIN_ATTEMPTS: '2', PACSGATE_SIGN_IN_ATTEMPTS: '2' });
let server: Server;
let port: number;

beforeAll(async () => {
  server = startMetricsServer(f.t.app.metrics, { host: '127.0.0.1', port: 0 }, createLogger('silent'));
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function scrape(): Promise<Scrape> {
  const res = await getMetrics(port);
  expect(res.status).toBe(200);
  expect(res.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseMetricsText(res.text);
}

/** Every series of every pacsgate counter, with the value the sequence below must leave in it. */
function expectedCounters(): Record<string, number> {
  const series: Array<[string, Record<string, string>, number]> = [
    ['pacsgate_verify_requests_total', { result: 'allowed' }, 2],
    ['pacsgate_verify_requests_total', { result: 'failed' }, 0],
    ['pacsgate_verify_requests_total', { result: 'refused', reason: 'no-token' }, 1],
    ['pacsgate_verify_requests_total', { result: 'refused', reason: 'malformed' }, 1],
    ['pacsgate_verify_requests_total', { result: 'refused', reason: 'read-only' }, 1],
    ['pacsgate_verify_requests_total', { result: 'refused', reason: 'revoked' }, 1],
    ...['expired', 'invalid', 'wrong-audience', 'query-token-unusable', 'query-token-spelling', 'untrusted-origin', 'out-of-scope', 'pin-required', 'orthanc-unavailable'].map(
      (reason): [string, Record<string, string>, number] => ['pacsgate_verify_requests_total', { result: 'refused', reason }, 0],
    ),
    ['pacsgate_tokens_issued_total', { kind: 'auth' }, 2],
    ['pacsgate_tokens_issued_total', { kind: 'access' }, 2],
    ['pacsgate_tokens_issued_total', { kind: 'refresh' }, 2],
    ['pacsgate_tokens_exchanged_total', { via: 'api' }, 1],
    ['pacsgate_tokens_exchanged_total', { via: 'explorer-link' }, 0],
    ['pacsgate_tokens_refreshed_total', {}, 1],
    ['pacsgate_tokens_revoked_total', { reason: 'refresh-reuse' }, 1],
    ['pacsgate_tokens_revoked_total', { reason: 'revoke-endpoint' }, 1],
    ['pacsgate_tokens_revoked_total', { reason: 'admin' }, 0],
    ['pacsgate_tokens_revoked_total', { reason: 'user-deleted' }, 0],
    ['pacsgate_sign_ins_total', { method: 'password', result: 'succeeded' }, 1],
    ['pacsgate_sign_ins_total', { method: 'password', result: 'failed' }, 2],
    ['pacsgate_sign_ins_total', { method: 'oidc', result: 'succeeded' }, 0],
    ['pacsgate_sign_ins_total', { method: 'oidc', result: 'failed' }, 0],
    ['pacsgate_sign_ins_total', { method: 'admin', result: 'succeeded' }, 4],
    ['pacsgate_sign_ins_total', { method: 'admin', result: 'failed' }, 2],
    ['pacsgate_rate_limited_requests_total', { limit: 'admin' }, 1],
    ['pacsgate_rate_limited_requests_total', { limit: 'sign-in' }, 1],
    ['pacsgate_rate_limited_requests_total', { limit: 'share-pin' }, 1],
    ['pacsgate_share_links_created_total', {}, 2],
    ['pacsgate_share_links_opened_total', {}, 2],
    ['pacsgate_share_link_pin_failures_total', {}, 2],
    ['pacsgate_share_links_locked_total', {}, 0],
    ['pacsgate_share_links_revoked_total', { reason: 'admin' }, 1],
    ...['revoke-endpoint', 'refresh-reuse', 'user-deleted'].map((reason): [string, Record<string, string>, number] => ['pacsgate_share_links_revoked_total', { reason }, 0]),
  ];
  return Object.fromEntries(series.map(([name, labels, value]) => [seriesKey(name, labels), value]));
}

/** The pacsgate counters of a scrape (the histogram and gauges are checked apart). */
const countersOf = (s: Scrape): Record<string, number> =>
  Object.fromEntries(Object.entries(samplesOf(s, 'pacsgate_')).filter(([key]) => s.types.get(key.slice(0, key.indexOf('{'))) === 'counter'));

const studies = '/dicom-web/studies';

/** Opens a PIN link's page and submits `pin`, as a browser would. */
async function submitPin(link: CreatedLink, pin: string) {
  return postForm(f.t, '/open', await openForm(f.t, openPath(link)), { token: link.token, pin });
}

it('counts a known sequence of requests exactly, every series of every counter', async () => {
  expect(Object.values(countersOf(await scrape())).every((value) => value === 0)).toBe(true);

  // A user, through the admin API: one admin request, one auth token.
  const username = uniqueUsername('metrics');
  const authToken = await generateToken(f.t, { username, userPassword: 'right password' });
  const first = await exchange(f.t, authToken);
  const second = await refresh(f.t, first.refreshToken);

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}`, 'X-Original-URI': studies, 'X-Original-Method': 'GET' });
  expectStatus(await verify(f.t, bearer(second.accessToken)), 204);
  expectStatus(await verify(f.t, bearer(second.accessToken)), 204);
  expectStatus(await verify(f.t, { 'X-Original-URI': studies }), 401);
  expectStatus(await verify(f.t, bearer('not-a-token')), 401);
  expectStatus(await verify(f.t, { ...bearer(second.accessToken), 'X-Original-Method': 'POST', 'X-Original-URI': '/instances' }), 403);
  // The first refresh token again: theft detection revokes the family, and its access token with it.
  expectStatus(await presentToken(f.t, '/refresh-token', first.refreshToken), 403);
  expectStatus(await verify(f.t, bearer(second.accessToken)), 401);

  const signedIn = tokenOf(expectStatus(await api(f.t).post('/sign-user').send({ username, password: 'right password' }), 200));
  expectStatus(await revoke(f.t, signedIn), 200);
  for (let attempt = 0; attempt < 2; attempt++) expectStatus(await api(f.t).post('/sign-user').send({ username, password: 'guess' }), 400);
  expectStatus(await api(f.t).post('/sign-user').send({ username, password: 'guess' }), 429);

  const plain = await createShare(f.t, { study: f.studyA });
  const withPin = await createShare(f.t, { study: f.studyA, pin: '1234' });
  expectStatus(await api(f.t).get(openPath(plain)), 303);
  expectStatus(await submitPin(withPin, '1234'), 303);
  for (let attempt = 0; attempt < 2; attempt++) expectStatus(await submitPin(withPin, '9999'), 401);
  expectStatus(await submitPin(withPin, '9999'), 429);
  expectStatus(await api(f.t).delete(`/share/${plain.id}`).set('Authorization', ADMIN_BASIC), 204);

  const wrongAdmin = () => api(f.t).post('/generate-token').send({ ...generateTokenBody(), password: 'guess' });
  for (let attempt = 0; attempt < 2; attempt++) expectStatus(await wrongAdmin(), 400);
  expectStatus(await wrongAdmin(), 429);

  const after = await scrape();
  expect(countersOf(after)).toEqual(expectedCounters());
  // Six /verify answers, each observed once.
  expect(after.samples.get(seriesKey('pacsgate_verify_duration_seconds_count'))).toBe(6);
  expect(after.samples.get(seriesKey('pacsgate_verify_duration_seconds_bucket', { le: '+Inf' }))).toBe(6);
  expect(after.samples.get(seriesKey('pacsgate_verify_duration_seconds_sum'))).toBeGreaterThan(0);
  // SQLite: one connection, idle between requests.
  expect(samplesOf(after, 'pacsgate_db_pool_')).toEqual({
    [seriesKey('pacsgate_db_pool_connections', { state: 'idle' })]: 1,
    [seriesKey('pacsgate_db_pool_connections', { state: 'in_use' })]: 0,
    [seriesKey('pacsgate_db_pool_waiting_requests')]: 0,
  });
});

it('serves every metric the dashboard and the operations guide name, process metrics included', async () => {
  const { types } = await scrape();
  expect(Object.fromEntries([...types].filter(([name]) => name.startsWith('pacsgate_')))).toEqual({
    pacsgate_verify_requests_total: 'counter',
    pacsgate_verify_duration_seconds: 'histogram',
    pacsgate_tokens_issued_total: 'counter',
    pacsgate_tokens_exchanged_total: 'counter',
    pacsgate_tokens_refreshed_total: 'counter',
    pacsgate_tokens_revoked_total: 'counter',
    pacsgate_sign_ins_total: 'counter',
    pacsgate_rate_limited_requests_total: 'counter',
    pacsgate_share_links_created_total: 'counter',
    pacsgate_share_links_opened_total: 'counter',
    pacsgate_share_link_pin_failures_total: 'counter',
    pacsgate_share_links_locked_total: 'counter',
    pacsgate_share_links_revoked_total: 'counter',
    pacsgate_db_pool_connections: 'gauge',
    pacsgate_db_pool_waiting_requests: 'gauge',
  });
  for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds']) expect(types.has(name)).toBe(true);
});

it('serves nothing but GET /metrics on its listener', async () => {
  expect((await getMetrics(port, '/')).status).toBe(404);
  expect((await getMetrics(port, '/metrics/')).status).toBe(404);
  expect((await getMetrics(port, '/verify')).status).toBe(404);
});

it('leaves /metrics out of the port Nginx proxies to', async () => {
  const res = await api(f.t).get('/metrics');
  expect(res.status).toBe(404);
  expect(res.text).not.toContain('pacsgate_');
});
