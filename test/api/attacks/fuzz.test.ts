import fc from 'fast-check';
import { generateToken, issueSession, refresh, type Session } from '../../support/api';
import { leaksIn } from '../../support/clean-error';
import {
  anyBody, authorizationFor, contentType, fieldValue, headerText, maybe, nearMiss, unusableToken,
} from '../../support/fuzz-arbitraries';
import { type HttpCall, listen, type ListeningServer, type Reply } from '../../support/listening-server';
import { ADMIN_PASSWORD, createTestApp, VIEWER_ORIGIN } from '../../support/test-app';

/** Requests per endpoint; 10 200 in all. */
const RUNS = { verify: 3000, generateToken: 1500, signUser: 1500, exchange: 1500, refresh: 1200, pacsAuth: 1500 };
const FUZZ_USER = 'fuzz.user';
const FUZZ_PASSWORD = 'fuzz user password';
/** Each endpoint's run takes seconds; the bound is for a machine busy with other suites. */
const PER_ENDPOINT_TIMEOUT_MS = 120_000;

describe('fuzz: random requests never fail the server and never open anything without a valid token', () => {
  // The fuzz wants to reach the handlers, not the rate limiter (tested on its own).
  const t = createTestApp({ PACSGATE_ADMIN_ATTEMPTS: '10000', PACSGATE_SIGN_IN_ATTEMPTS: '10000' });
  let server: ListeningServer;
  let control: Session;
  let spent: Session & { spentRefreshToken: string };
  let unspentAuthToken: string;
  const statuses = new Map<string, Map<number, number>>();
  let sent = 0;
  let serverErrors = 0;
  let allows = 0;

  beforeAll(async () => {
    server = await listen(t.app);
    control = await issueSession(t, { canEditResource: true });
    const session = await issueSession(t, { username: FUZZ_USER, userPassword: FUZZ_PASSWORD, canEditResource: true });
    spent = { ...session, ...(await refresh(t, session.refreshToken)), spentRefreshToken: session.refreshToken };
    unspentAuthToken = await generateToken(t, { canEditResource: true });
  });

  afterAll(async () => {
    const lines = [...statuses].map(([endpoint, byStatus]) => `  ${endpoint}: ${[...byStatus].map(([status, count]) => `${status}×${count}`).join(' ')}`);
    console.log(`fuzz: ${sent} requests sent, ${serverErrors} 5xx, ${allows} allows without a valid token\n${lines.join('\n')}`);
    await server.close();
    await t.cleanup();
  });

  /** Sends one request and fails the property on a 5xx, a leak, or an allow. */
  async function probe(endpoint: string, call: HttpCall, isAllow: (reply: Reply) => boolean): Promise<void> {
    const reply = await server.send(call);
    sent += 1;
    const byStatus = statuses.get(endpoint) ?? new Map<number, number>();
    byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
    statuses.set(endpoint, byStatus);
    if (reply.status >= 500) serverErrors += 1;
    if (isAllow(reply)) allows += 1;
    const leaks = leaksIn(reply.body);
    if (reply.status >= 500 || isAllow(reply) || leaks.length > 0) {
      throw new Error(`${endpoint} answered ${reply.status} ${reply.body.slice(0, 200)} ${leaks.join(' ')}`);
    }
  }

  const realTokens = () => [control.accessToken, control.refreshToken, spent.authToken, spent.accessToken, spent.refreshToken, unspentAuthToken];
  const kid = () => t.keyring.current.kid;

  it(`/verify: ${RUNS.verify} requests, no 204`, async () => {
    const token = unusableToken(kid(), realTokens(), [control.refreshToken, spent.refreshToken, spent.authToken, unspentAuthToken]);
    const queryToken = unusableToken(kid(), realTokens(), [control.refreshToken, spent.refreshToken, spent.authToken]);
    const request = fc.record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT'),
      authorization: maybe(authorizationFor(token)),
      uri: maybe(fc.oneof(
        headerText(120).map((path) => `/${path}`),
        queryToken.map((value) => `/dicom-web/studies?token=${encodeURIComponent(value)}`),
        queryToken.map((value) => `/app/explorer.html?x=1&token=${value}`),
      )),
      cookie: maybe(fc.oneof(token.map((value) => `pacsgate_token=${value}`), headerText(100))),
      originalMethod: maybe(fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'get'), headerText(10))),
      origin: maybe(fc.oneof(fc.constantFrom(VIEWER_ORIGIN, 'https://pacs.example.org', 'https://evil.example', 'null'), headerText(60))),
      referer: maybe(headerText(60)),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.authorization !== undefined) headers.authorization = r.authorization;
        if (r.uri !== undefined) headers['x-original-uri'] = r.uri;
        if (r.cookie !== undefined) headers.cookie = r.cookie;
        if (r.originalMethod !== undefined) headers['x-original-method'] = r.originalMethod;
        if (r.origin !== undefined) headers.origin = r.origin;
        if (r.referer !== undefined) headers.referer = r.referer;
        await probe('/verify', { method: r.method, path: '/verify', headers }, (reply) => reply.status < 300);
      }),
      { numRuns: RUNS.verify },
    );
  }, PER_ENDPOINT_TIMEOUT_MS);

  /** A field as a form would carry it; not `String(v)`, which throws on `{ toString: 1 }` or a null-prototype object. */
  const formValue = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  /** The fields as JSON or as a form, or any body at all, under any Content-Type. */
  const body = (fields: fc.Arbitrary<Record<string, unknown>>) =>
    fc.oneof(
      { weight: 4, arbitrary: fields.map((value) => ({ type: 'application/json', text: JSON.stringify(value) })) },
      { weight: 1, arbitrary: fields.map((value) => ({ type: 'application/x-www-form-urlencoded', text: new URLSearchParams(Object.entries(value).map(([k, v]): [string, string] => [k, formValue(v)])).toString() })) },
      { weight: 1, arbitrary: fc.record({ type: contentType, text: anyBody }) },
    );
  /** Posts `runs` random bodies built from `fields` to `path`. */
  const fuzzBodies = (path: string, fields: fc.Arbitrary<Record<string, unknown>>, runs: number, isAllow: (reply: Reply) => boolean) =>
    fc.assert(
      fc.asyncProperty(body(fields), async (posted) => {
        await probe(path, { method: 'POST', path, headers: posted.type ? { 'content-type': posted.type } : {}, body: posted.text }, isAllow);
      }),
      { numRuns: runs },
    );

  it(`/generate-token: ${RUNS.generateToken} requests without the admin password, no token`, async () => {
    const fields = fc.record(
      {
        name: fieldValue(fc.string({ maxLength: 60 })),
        username: fieldValue(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,20}$/)),
        password: fieldValue(nearMiss(ADMIN_PASSWORD)),
        userPassword: fieldValue(fc.string({ maxLength: 80 })),
        canEditResource: fieldValue(fc.constantFrom('true', 'on')),
        createUserIfNotExists: fc.oneof(fc.boolean(), fc.anything({ maxDepth: 1 })),
        extra: fc.anything({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    );
    await fuzzBodies('/generate-token', fields, RUNS.generateToken, (reply) => reply.status < 300);
  }, PER_ENDPOINT_TIMEOUT_MS);

  it(`/sign-user: ${RUNS.signUser} requests without the user's password, no token`, async () => {
    const fields = fc.record(
      {
        username: fieldValue(fc.oneof(fc.constant(FUZZ_USER), fc.mixedCase(fc.constant(FUZZ_USER)), fc.stringMatching(/^[a-z0-9][a-z0-9.]{0,12}$/))),
        password: fieldValue(nearMiss(FUZZ_PASSWORD)),
        referer: fieldValue(fc.oneof(fc.constantFrom(VIEWER_ORIGIN, `${VIEWER_ORIGIN}.evil.com`, 'javascript:alert(1)', '//evil.com'), fc.webUrl())),
      },
      { requiredKeys: [] },
    );
    await fuzzBodies('/sign-user', fields, RUNS.signUser, (reply) => reply.status < 300);
  }, PER_ENDPOINT_TIMEOUT_MS);

  const presentation = (token: fc.Arbitrary<string>) =>
    fc.record({
      authorization: maybe(authorizationFor(token)),
      origin: maybe(fc.oneof(fc.constantFrom(VIEWER_ORIGIN, 'https://evil.example'), headerText(60))),
      text: maybe(anyBody),
    });
  const presentCall = (path: string, r: { authorization?: string; origin?: string; text?: string }): HttpCall => ({
    method: 'POST',
    path,
    headers: { ...(r.authorization !== undefined && { authorization: r.authorization }), ...(r.origin !== undefined && { origin: r.origin }) },
    body: r.text,
  });

  it(`/generate-access-token: ${RUNS.exchange} requests without an unspent auth token, no exchange`, async () => {
    const token = unusableToken(kid(), realTokens(), [spent.authToken, control.accessToken, control.refreshToken]);
    await fc.assert(
      fc.asyncProperty(presentation(token), async (r) => {
        await probe('/generate-access-token', presentCall('/generate-access-token', r), (reply) => reply.status < 300);
      }),
      { numRuns: RUNS.exchange },
    );
  }, PER_ENDPOINT_TIMEOUT_MS);

  it(`/refresh-token: ${RUNS.refresh} requests without an unspent refresh token, no rotation`, async () => {
    const token = unusableToken(kid(), realTokens(), [spent.spentRefreshToken, control.accessToken, unspentAuthToken]);
    await fc.assert(
      fc.asyncProperty(presentation(token), async (r) => {
        await probe('/refresh-token', presentCall('/refresh-token', r), (reply) => reply.status < 300);
      }),
      { numRuns: RUNS.refresh },
    );
  }, PER_ENDPOINT_TIMEOUT_MS);

  it(`/pacs-auth: ${RUNS.pacsAuth} requests without an access token, never granted`, async () => {
    const token = unusableToken(kid(), realTokens(), [control.refreshToken, spent.authToken, unspentAuthToken]);
    const fields = fc.record(
      {
        'token-value': fieldValue(authorizationFor(token)),
        'token-key': fieldValue(fc.constantFrom('authorization', 'token')),
        method: fieldValue(fc.constantFrom('get', 'post', 'put', 'delete', 'GET')),
        level: fieldValue(fc.constantFrom('system', 'patient', 'study', 'series', 'instance')),
        uri: fieldValue(fc.string({ maxLength: 60 })),
        'orthanc-id': fieldValue(fc.string({ maxLength: 40 })),
        'dicom-uid': fieldValue(fc.string({ maxLength: 40 })),
      },
      { requiredKeys: [] },
    );
    await fuzzBodies('/pacs-auth', fields, RUNS.pacsAuth, (reply) => reply.status !== 200 || (JSON.parse(reply.body) as { granted?: unknown }).granted !== false);
  }, PER_ENDPOINT_TIMEOUT_MS);

  it('sent at least 10 000 requests, and the real tokens still work afterwards', async () => {
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(serverErrors).toBe(0);
    expect(allows).toBe(0);
    const verified = await server.send({ path: '/verify', headers: { authorization: `Bearer ${control.accessToken}`, 'x-original-method': 'POST' } });
    expect(verified.status).toBe(204);
    expect((await server.send({ method: 'POST', path: '/generate-access-token', headers: { authorization: `Bearer ${unspentAuthToken}` } })).status).toBe(200);
  });
});
