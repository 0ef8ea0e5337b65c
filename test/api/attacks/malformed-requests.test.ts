import { type ErrorShape, errorShapeOf } from '../../support/clean-error';
import { type HttpCall, listen, type ListeningServer, postJson, type Reply } from '../../support/listening-server';
import { createTestApp } from '../../support/test-app';
import { issueSession, verify as verifyWith } from '../../support/api';

const json = (method: string, path: string, body: unknown) => postJson(path, body, method);

/** A request line, headers and body exactly as written, over a connection the server then closes. */
function raw(requestLine: string, headers: string[] = [], body = ''): string {
  const length = body === '' ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];
  return [requestLine, 'Host: 127.0.0.1', 'Connection: close', ...headers, ...length, '', body].join('\r\n');
}

interface Case {
  name: string;
  call?: HttpCall;
  raw?: string;
  status: number;
  /** `pacs-denied`: the Orthanc plugin's contract, 200 with granted:false whatever it was sent. */
  shape: ErrorShape | 'pacs-denied';
  message?: string;
}

const BIG = 'A'.repeat(200_000);
const form = (path: string, body: string, headers: Record<string, string> = {}): HttpCall => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body,
});
const generateToken = (fields: Record<string, unknown>) =>
  json('POST', '/generate-token', { name: 'Ann', username: 'ann', password: 'x', createUserIfNotExists: true, ...fields });
const signUser = (fields: Record<string, unknown>) => json('POST', '/sign-user', { username: 'ann', password: 'secret', ...fields });
const signIn = (query: string): HttpCall => ({ path: `/sign-in?${query}` });
const pacsAuth = (body: string, type = 'application/json'): HttpCall => ({ method: 'POST', path: '/pacs-auth', headers: { 'content-type': type }, body });
const verify = (headers: Record<string, string>): HttpCall => ({ path: '/verify', headers });
const header16k = 'x'.repeat(16 * 1024);

const CASES: Case[] = [
  // /generate-token: broken and wrongly typed JSON
  { name: 'generate-token: JSON cut short', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json' }, body: '{"name":' }, status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'generate-token: JSON with a trailing comma', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json' }, body: '{"name":"a",}' }, status: 400, shape: 'json' },
  { name: 'generate-token: a JSON string instead of an object', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json' }, body: '"ann"' }, status: 400, shape: 'json' },
  { name: 'generate-token: JSON null', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json' }, body: 'null' }, status: 400, shape: 'json' },
  { name: 'generate-token: a JSON array', call: json('POST', '/generate-token', [{ name: 'Ann' }]), status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'generate-token: name is a number', call: generateToken({ name: 42 }), status: 400, shape: 'json', message: 'Name not valid' },
  { name: 'generate-token: username is an array of strings', call: generateToken({ username: ['ann'] }), status: 400, shape: 'json', message: 'username not valid' },
  { name: 'generate-token: password is an object', call: generateToken({ password: { $ne: null } }), status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'generate-token: canEditResource is the string "true"', call: generateToken({ canEditResource: 'true' }), status: 400, shape: 'json' },
  { name: 'generate-token: an unknown field', call: generateToken({ isAdmin: true }), status: 400, shape: 'json' },
  { name: 'generate-token: __proto__ pollution', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' }, status: 400, shape: 'json' },
  { name: 'generate-token: JSON nested 20 000 deep', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json' }, body: `${'['.repeat(20_000)}${']'.repeat(20_000)}` }, status: 400, shape: 'json' },
  { name: 'generate-token: a 200 KB body', call: generateToken({ name: BIG }), status: 413, shape: 'json', message: 'Request body too large' },
  { name: 'generate-token: a 60 KB name (under the body limit)', call: generateToken({ name: 'A'.repeat(60_000) }), status: 400, shape: 'json', message: 'Name not valid' },
  { name: 'generate-token: NUL in the username', call: generateToken({ username: 'an\u0000n' }), status: 400, shape: 'json', message: 'username not valid' },
  { name: 'generate-token: non-ASCII username (homoglyph)', call: generateToken({ username: 'аnn' }), status: 400, shape: 'json', message: 'username not valid' },
  { name: 'generate-token: a C1 control (NEL) in the name', call: generateToken({ name: 'Ann\u0085Admin' }), status: 400, shape: 'json', message: 'Name not valid' },
  { name: 'generate-token: DEL in the name', call: generateToken({ name: 'Ann\u007f' }), status: 400, shape: 'json', message: 'Name not valid' },
  { name: 'generate-token: CRLF in the username', call: generateToken({ username: 'ann\r\nSet-Cookie: x=1' }), status: 400, shape: 'json', message: 'username not valid' },
  { name: 'generate-token: a lone surrogate in the name', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json' }, body: '{"name":"\\ud800","username":"ann","password":"x"}' }, status: 400, shape: 'json', message: 'Name not valid' },
  { name: 'generate-token: no Content-Type', call: { method: 'POST', path: '/generate-token', body: '{"name":"Ann","username":"ann","password":"x"}' }, status: 400, shape: 'json' },
  { name: 'generate-token: text/plain', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'text/plain' }, body: '{"name":"Ann"}' }, status: 400, shape: 'json' },
  { name: 'generate-token: an unsupported charset', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json; charset=ebcdic' }, body: '{}' }, status: 415, shape: 'json' },
  { name: 'generate-token: gzip that is not gzip', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'not gzip at all' }, status: 400, shape: 'json' },
  { name: 'generate-token: an unknown Content-Encoding', call: { method: 'POST', path: '/generate-token', headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-x' }, body: '{}' }, status: 415, shape: 'json' },
  { name: 'generate-token: GET instead of POST', call: { path: '/generate-token' }, status: 404, shape: 'json' },
  { name: 'generate-token: PUT instead of POST', call: json('PUT', '/generate-token', {}), status: 404, shape: 'json' },

  // /sign-user
  { name: 'sign-user: username is a number', call: signUser({ username: 7 }), status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'sign-user: password is an array', call: signUser({ password: ['secret'] }), status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'sign-user: a 73-byte password', call: signUser({ password: 'é'.repeat(37) }), status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'sign-user: a 1 MB username', call: signUser({ username: 'a'.repeat(1_000_000) }), status: 413, shape: 'json' },
  { name: 'sign-user: referer javascript:', call: signUser({ referer: 'javascript:alert(document.cookie)' }), status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'sign-user: referer //evil.com', call: signUser({ referer: '//evil.com' }), status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'sign-user: referer with CRLF', call: signUser({ referer: 'https://viewer.example.org\r\nSet-Cookie: pacsgate_token=x' }), status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'sign-user: form body with repeated fields', call: form('/sign-user', 'username=ann&username=bob&password=secret'), status: 400, shape: 'json', message: 'Invalid data' },
  { name: 'sign-user: more than 50 form fields', call: form('/sign-user', Array.from({ length: 60 }, (_, i) => `f${i}=1`).join('&')), status: 413, shape: 'json' },
  { name: 'sign-user: DELETE', call: { method: 'DELETE', path: '/sign-user' }, status: 404, shape: 'json' },

  // exchange endpoints
  { name: 'generate-access-token: no Authorization', call: { method: 'POST', path: '/generate-access-token' }, status: 403, shape: 'json', message: 'Missing Token' },
  // The HTTP parser trims the space: the server sees the bare word "Bearer", not an empty token.
  { name: 'generate-access-token: "Bearer " and nothing', call: { method: 'POST', path: '/generate-access-token', headers: { authorization: 'Bearer ' } }, status: 403, shape: 'json' },
  { name: 'generate-access-token: not a JWT', call: { method: 'POST', path: '/generate-access-token', headers: { authorization: 'Bearer not.a.jwt' } }, status: 403, shape: 'json', message: 'Invalid Token' },
  { name: 'generate-access-token: 12 KB of garbage', call: { method: 'POST', path: '/generate-access-token', headers: { authorization: `Bearer ${'e'.repeat(12_000)}` } }, status: 403, shape: 'json', message: 'Invalid Token' },
  { name: 'generate-access-token: a JSON body instead of a header', call: json('POST', '/generate-access-token', { token: 'x' }), status: 403, shape: 'json', message: 'Missing Token' },
  { name: 'generate-access-token: GET', call: { path: '/generate-access-token' }, status: 404, shape: 'json' },
  { name: 'refresh-token: Basic credentials', call: { method: 'POST', path: '/refresh-token', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }, status: 403, shape: 'json', message: 'Invalid Token' },
  { name: 'refresh-token: three dots', call: { method: 'POST', path: '/refresh-token', headers: { authorization: '...' } }, status: 403, shape: 'json', message: 'Invalid Token' },
  { name: 'refresh-token: duplicate Authorization headers', raw: raw('POST /refresh-token HTTP/1.1', ['Authorization: Bearer a.b.c', 'Authorization: Bearer d.e.f']), status: 403, shape: 'json', message: 'Invalid Token' },

  // /revoke
  { name: 'revoke: no body', call: { method: 'POST', path: '/revoke' }, status: 400, shape: 'json', message: 'token is required' },
  { name: 'revoke: token is a number', call: json('POST', '/revoke', { token: 12 }), status: 400, shape: 'json' },
  { name: 'revoke: a 9 000-character token', call: json('POST', '/revoke', { token: 't'.repeat(9000) }), status: 400, shape: 'json' },
  { name: 'revoke: empty form token', call: form('/revoke', 'token='), status: 400, shape: 'json' },

  // /verify (Nginx reads the status only; the body is always empty)
  { name: 'verify: no token at all', call: verify({}), status: 401, shape: 'empty' },
  { name: 'verify: Basic credentials', call: verify({ authorization: 'Basic YWRtaW46YWRtaW4=' }), status: 401, shape: 'empty' },
  { name: 'verify: bad percent-encoding in the query token', call: verify({ 'x-original-uri': '/app/explorer.html?token=%E0%A4%A' }), status: 401, shape: 'empty' },
  { name: 'verify: 15 KB X-Original-URI', call: verify({ 'x-original-uri': `/studies?token=${'x'.repeat(15_000)}` }), status: 401, shape: 'empty' },
  { name: 'verify: garbage cookie', call: verify({ cookie: 'pacsgate_token=%%%; pacsgate_token=' }), status: 401, shape: 'empty' },
  { name: 'verify: POST with a body', call: { method: 'POST', path: '/verify', headers: { 'content-type': 'application/json' }, body: '{"token":"x"}' }, status: 401, shape: 'empty' },
  { name: 'verify: path traversal in X-Original-URI', call: verify({ 'x-original-uri': '/../../auth/token?token=../../etc/passwd' }), status: 401, shape: 'empty' },
  { name: 'verify: duplicate Cookie headers', raw: raw('GET /verify HTTP/1.1', ['Cookie: pacsgate_token=a', 'Cookie: pacsgate_token=b']), status: 401, shape: 'empty' },
  { name: 'verify: a header just under 16 KB', raw: raw('GET /verify HTTP/1.1', [`X-Original-URI: /${header16k.slice(0, 15_000)}`]), status: 401, shape: 'empty' },

  // /pacs-auth answers 200 granted:false to anything it cannot use
  { name: 'pacs-auth: JSON cut short', call: pacsAuth('{"token-value":'), status: 200, shape: 'pacs-denied' },
  { name: 'pacs-auth: a 20 KB body', call: pacsAuth(JSON.stringify({ 'token-value': 'x'.repeat(20_000) })), status: 200, shape: 'pacs-denied' },
  { name: 'pacs-auth: token-value is a number', call: pacsAuth('{"token-value":1,"method":"get"}'), status: 200, shape: 'pacs-denied' },
  { name: 'pacs-auth: no Content-Type', call: { method: 'POST', path: '/pacs-auth', body: '{"token-value":"x"}' }, status: 200, shape: 'pacs-denied' },
  { name: 'pacs-auth: an array', call: pacsAuth('[1,2,3]'), status: 200, shape: 'pacs-denied' },

  // sign-in page: return_uri and response_type
  { name: 'sign-in: no return_uri', call: signIn(''), status: 400, shape: 'html' },
  { name: 'sign-in: return_uri javascript:', call: signIn('return_uri=javascript:alert(1)'), status: 400, shape: 'html' },
  { name: 'sign-in: return_uri //evil.com', call: signIn('return_uri=//evil.com/'), status: 400, shape: 'html' },
  { name: 'sign-in: return_uri ../../etc/passwd', call: signIn('return_uri=../../etc/passwd'), status: 400, shape: 'html' },
  { name: 'sign-in: return_uri file:///etc/passwd', call: signIn('return_uri=file:///etc/passwd'), status: 400, shape: 'html' },
  { name: 'sign-in: return_uri with encoded CRLF', call: signIn('return_uri=https://evil.com%0d%0aLocation:%20https://viewer.example.org'), status: 400, shape: 'html' },
  { name: 'sign-in: return_uri twice', call: signIn('return_uri=https://viewer.example.org/&return_uri=https://evil.com/'), status: 400, shape: 'html' },
  { name: 'sign-in: a 3 000-character return_uri', call: signIn(`return_uri=https://viewer.example.org/${'a'.repeat(3000)}`), status: 400, shape: 'html' },
  { name: 'sign-in: response_type is not JSON', call: signIn('return_uri=https://viewer.example.org/&response_type={oops'), status: 400, shape: 'html' },
  { name: 'sign-in: response_type with a wrong type', call: signIn(`return_uri=https://viewer.example.org/&response_type=${encodeURIComponent('{"type":"code"}')}`), status: 400, shape: 'html' },
  { name: 'sign-in: POST without CSRF', call: form('/sign-in', 'username=ann&password=secret&return_uri=https://viewer.example.org/'), status: 403, shape: 'html' },
  { name: 'sign-in: POST of JSON without CSRF', call: json('POST', '/sign-in', { username: 'ann', password: 'secret' }), status: 403, shape: 'html' },

  // admin page and explorer link
  { name: 'token page: POST without CSRF', call: form('/token', 'name=Ann&username=ann&adminPassword=x'), status: 403, shape: 'html' },
  { name: 'token page: POST with no body at all', call: { method: 'POST', path: '/token' }, status: 403, shape: 'html' },
  { name: 'token page: PATCH', call: { method: 'PATCH', path: '/token' }, status: 404, shape: 'json' },
  { name: 'explorer: no token', call: { path: '/explorer' }, status: 401, shape: 'html' },
  { name: 'explorer: token given as an array', call: { path: '/explorer?token=a&token=b' }, status: 401, shape: 'html' },
  { name: 'explorer: token with CRLF', call: { path: '/explorer?token=x%0d%0aSet-Cookie:%20pacsgate_token=evil' }, status: 401, shape: 'html' },

  // paths, methods and the HTTP framing itself
  { name: 'unknown path', call: { path: '/admin' }, status: 404, shape: 'json' },
  { name: 'bad percent-encoding in the path', call: { path: '/%E0%A4%A' }, status: 404, shape: 'json' },
  { name: 'static: ../ traversal', raw: raw('GET /static/../package.json HTTP/1.1'), status: 404, shape: 'json' },
  { name: 'static: encoded ../ traversal', call: { path: '/static/%2e%2e/%2e%2e/package.json' }, status: 404, shape: 'json' },
  { name: 'static: encoded slash traversal', call: { path: '/static/..%2f..%2fpackage.json' }, status: 404, shape: 'json' },
  { name: 'TRACE', call: { method: 'TRACE', path: '/healthz' }, status: 404, shape: 'json' },
  { name: 'a 16 KB header', raw: raw('GET /healthz HTTP/1.1', [`X-Big: ${header16k}`]), status: 431, shape: 'empty' },
  { name: 'a 16 KB Authorization on the exchange', raw: raw('POST /generate-access-token HTTP/1.1', [`Authorization: Bearer ${header16k}`]), status: 431, shape: 'empty' },
  { name: 'NUL in a header value', raw: raw('GET /verify HTTP/1.1', ['Authorization: Bearer a\u0000b']), status: 400, shape: 'empty' },
  { name: 'bare LF inside a header (header injection)', raw: raw('GET /verify HTTP/1.1', ['X-Original-URI: /a\nAuthorization: Bearer x']), status: 400, shape: 'empty' },
  { name: 'Content-Length and Transfer-Encoding together (smuggling)', raw: raw('POST /sign-user HTTP/1.1', ['Content-Type: application/json', 'Transfer-Encoding: chunked', 'Content-Length: 4'], '0\r\n\r\n'), status: 400, shape: 'empty' },
  { name: 'two different Content-Lengths', raw: raw('POST /sign-user HTTP/1.1', ['Content-Length: 2', 'Content-Length: 3'], '{}'), status: 400, shape: 'empty' },
  { name: 'a broken chunk', raw: raw('POST /sign-user HTTP/1.1', ['Content-Type: application/json', 'Transfer-Encoding: chunked'], 'zz\r\n{}\r\n0\r\n\r\n'), status: 400, shape: 'empty' },
  { name: 'a malformed request line', raw: 'GET /healthz HTTP/9.9 extra\r\nHost: x\r\n\r\n', status: 400, shape: 'empty' },
];

describe('malformed requests', () => {
  // Failed admin and sign-in attempts are the table's whole point: keep the rate limiter out of the way.
  const testApp = createTestApp({ PACSGATE_ADMIN_ATTEMPTS: '10000', PACSGATE_SIGN_IN_ATTEMPTS: '10000' });
  let server: ListeningServer;

  beforeAll(async () => {
    server = await listen(testApp.app);
  });

  afterAll(async () => {
    await server.close();
    await testApp.cleanup();
  });

  const outcome = (reply: Reply, expected: Case): string => {
    if (reply.status !== expected.status) return `status ${reply.status}, expected ${expected.status}: ${reply.body.slice(0, 200)}`;
    if (expected.shape === 'pacs-denied') return reply.body === '{"granted":false,"validity":0}' ? 'ok' : `pacs-auth answered ${reply.body}`;
    const shape = errorShapeOf(reply);
    if (shape !== expected.shape) return `body is ${shape}, expected ${expected.shape}`;
    if (expected.message && (JSON.parse(reply.body) as { message?: unknown }).message !== expected.message) return `message ${reply.body}`;
    return 'ok';
  };

  it(`answers each of ${CASES.length} malformed requests with its 4xx and a clean body, and the next good request still works`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    const failures: string[] = [];
    for (const testCase of CASES) {
      try {
        const reply = testCase.raw ? await server.sendRaw(testCase.raw) : await server.send(testCase.call as HttpCall);
        const result = outcome(reply, testCase);
        if (result !== 'ok') failures.push(`${testCase.name}: ${result}`);
        const next = await server.send({ path: '/healthz' });
        if (next.status !== 200) failures.push(`${testCase.name}: the next good request got ${next.status}`);
      } catch (error) {
        failures.push(`${testCase.name}: ${String(error)}`);
      }
    }
    console.log(`malformed requests: ${CASES.length} cases tried, ${CASES.length - failures.length} answered as expected`);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('still issues, exchanges and verifies tokens after the whole table', async () => {
    const session = await issueSession(testApp);
    expect((await verifyWith(testApp, { authorization: `Bearer ${session.accessToken}` })).status).toBe(204);
  });
});
