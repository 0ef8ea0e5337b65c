import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCOPED_TOKEN_MARK } from '../../auth-server/src/tokens/codec';
import { withoutAuthRequest } from '../../bench/extra-nginx';
import { basicAuthorization, corsOriginPattern, NginxSettings, renderNginxConfig } from '../../setup/nginx-config';
import { NGINX_ORTHANC_KEEPALIVE, orthancHttpThreads, renderOrthancConfig } from '../../setup/orthanc-config';

let dir: string;

const settings = (overrides: Partial<NginxSettings> = {}): NginxSettings => ({
  runtimeDir: join(dir, 'run'),
  httpPort: 18080,
  httpsPort: 18443,
  publicUrl: 'https://pacs.example.org/',
  tlsCert: join(dir, 'cert.pem'),
  tlsKey: join(dir, 'key.pem'),
  webRoot: join(dir, 'web'),
  authServer: '127.0.0.1:13000',
  orthancServer: '127.0.0.1:18042',
  orthancAuthorization: basicAuthorization('pacsgate-nginx', 'secret'),
  allowedOrigins: ['https://*.viewer.example.org', 'https://one.example.org:9443'],
  accessLog: null,
  workerUser: null,
  authCache: null,
  dicomStreamConfig: null,
  ...overrides,
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pacsgate-nginx-'));
  mkdirSync(join(dir, 'run'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectNginxAccepts(config: string): void {
  const path = join(dir, 'nginx.conf');
  writeFileSync(path, config);
  expect(() => execFileSync('nginx', ['-t', '-q', '-p', join(dir, 'run'), '-c', path, '-e', 'stderr'], { stdio: 'pipe' })).not.toThrow();
}

it('fills every placeholder with a configuration Nginx accepts', () => {
  const config = renderNginxConfig(settings({ accessLog: join(dir, 'run', 'access.log') }));
  expect(config).not.toMatch(/\{\{/);
  expectNginxAccepts(config);
});

it('caches /verify’s allows only with the auth cache on, keyed by request class and token', () => {
  const config = renderNginxConfig(settings({ authCache: { seconds: 5, dir: join(dir, 'verify-cache') } }));
  expect(config).toContain('proxy_cache pacsgate_verify;');
  expect(config).toMatch(/proxy_cache_key "\$verify_request_class\|\$http_authorization\|\$verify_query_token\|\$cookie_pacsgate_token\|/);
  expect(config).toContain('proxy_no_cache $verify_not_allowed $verify_scoped_unkeyed;');
  expectNginxAccepts(config);
  expect(renderNginxConfig(settings())).not.toMatch(/proxy_cache/);
  expect(() => renderNginxConfig(settings({ authCache: { seconds: 6, dir: join(dir, 'c') } }))).toThrow(/authCache.seconds/);
});

it('keys a scoped token’s allows by URI, and never stores one the auth server marks scoped under a key without it', () => {
  const config = renderNginxConfig(settings({ authCache: { seconds: 5, dir: join(dir, 'verify-cache') } }));
  expect(config).toMatch(/proxy_cache_key "[^"]*\|\$verify_scoped_uri";/);
  expect(config).toContain(`map "$http_authorization|$http_cookie|$request_uri" $verify_scoped_uri {\n    "~${SCOPED_TOKEN_MARK}" $request_uri;`);
  expect(config).toContain('map "$upstream_http_x_pacsgate_scoped$verify_scoped_uri" $verify_scoped_unkeyed {\n    1 1;');
  expectNginxAccepts(config);
});

it('gives the benchmark a baseline that differs from the gate by its auth_request lines alone', () => {
  const gate = renderNginxConfig(settings());
  const baseline = withoutAuthRequest(gate);
  expect(baseline).not.toMatch(/auth_request \/_verify;/);
  // The PACS location and the viewer's page.
  expect(gate.split('\n').length - baseline.split('\n').length).toBe(2);
  expectNginxAccepts(baseline);
  expect(() => withoutAuthRequest(baseline)).toThrow(/found 0/);
});

it('redirects HTTP and sends sign-ins to the public URL without its trailing slash', () => {
  const config = renderNginxConfig(settings());
  expect(config).toContain('return 301 https://pacs.example.org$request_uri;');
  expect(config).toContain('return 302 https://pacs.example.org/auth/sign-in?return_uri=https://pacs.example.org$sign_in_return_path;');
});

it('turns a wildcard origin into a one-label pattern', () => {
  const pattern = new RegExp(corsOriginPattern('https://*.example.org').match(/"~\*(.*)"/)![1], 'i');
  expect(pattern.test('https://viewer.example.org')).toBe(true);
  expect(pattern.test('https://a.b.example.org')).toBe(false);
  expect(pattern.test('https://evilexample.org')).toBe(false);
  expect(pattern.test('https://viewer.example.org.evil.test')).toBe(false);
});

it('refuses values that would break out of a directive', () => {
  expect(() => renderNginxConfig(settings({ tlsCert: '/x; include /etc/passwd' }))).toThrow(/tlsCert/);
  expect(() => renderNginxConfig(settings({ allowedOrigins: ['https://a.org"; }'] }))).toThrow(/allowedOrigins/);
  expect(() => renderNginxConfig(settings({ orthancAuthorization: 'Basic abc"; x' }))).toThrow(/Basic/);
});

it('sets the worker user only when asked', () => {
  expect(renderNginxConfig(settings({ workerUser: 'www-data' }))).toMatch(/^user www-data;$/m);
  expect(renderNginxConfig(settings())).not.toMatch(/^user /m);
});

it("gives Orthanc more HTTP threads than Nginx's workers keep idle connections to it", () => {
  const keepalive = /upstream pacsgate_orthanc \{[^}]*keepalive (\d+);/.exec(renderNginxConfig(settings()))?.[1];
  expect(Number(keepalive)).toBe(NGINX_ORTHANC_KEEPALIVE);
  const workers = availableParallelism();
  const orthancConfig = renderOrthancConfig({ storageDir: dir, httpPort: 18042, dicomPort: 14242, nginxPassword: 'secret', pluginsDir: null, remoteAccessAllowed: false });
  const threads = (JSON.parse(orthancConfig) as { HttpThreadsCount: number }).HttpThreadsCount;
  expect(threads).toBe(orthancHttpThreads(workers));
  expect(threads).toBeGreaterThan(workers * NGINX_ORTHANC_KEEPALIVE);
});
