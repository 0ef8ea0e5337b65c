import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCOPED_TOKEN_MARK } from '../../auth-server/src/tokens/codec';
import { withoutAuthRequest } from '../../bench/extra-nginx';
import { gateSettingsFromEnv } from '../../setup/gate-settings';
import { localNginxSettings } from '../../setup/local-configs';
import { configLayout } from '../../auth-server/src/config-files';
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
  authServers: ['127.0.0.1:13000'],
  orthancServers: ['127.0.0.1:18042'],
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
  // The PACS's reads and writes, and the viewer's page.
  expect(gate.split('\n').length - baseline.split('\n').length).toBe(3);
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

/** The lines of the last `location` or `upstream` block so opened (the HTTPS server's), up to its closing brace. */
function block(config: string, opening: string): string[] {
  const start = config.lastIndexOf(`${opening} {`);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = config.slice(start).split('\n').slice(1).map((line) => line.trim());
  let depth = 1;
  const end = lines.findIndex((line) => (depth += (line.endsWith('{') ? 1 : 0) - (line === '}' ? 1 : 0)) === 0);
  return lines.slice(0, end).filter((line) => line && !line.startsWith('#'));
}

it('lists every auth server and every Orthanc in its upstream, each skipped for a while after a failure', () => {
  const config = renderNginxConfig(settings({ authServers: ['10.0.0.5:3000', '10.0.0.6:3000'], orthancServers: ['10.0.0.7:8042', '[fd00::8]:8042'] }));
  expect(block(config, 'upstream pacsgate_auth')).toEqual([
    'server 10.0.0.5:3000 max_fails=1 fail_timeout=2s;', 'server 10.0.0.6:3000 max_fails=1 fail_timeout=2s;', 'keepalive 32;',
  ]);
  expect(block(config, 'upstream pacsgate_orthanc')).toEqual([
    'server 10.0.0.7:8042 max_fails=1 fail_timeout=2s;', 'server [fd00::8]:8042 max_fails=1 fail_timeout=2s;', 'keepalive 16;',
  ]);
  expectNginxAccepts(config);
  // Names too (Nginx resolves them when it starts, so `nginx -t` is not asked about made-up ones).
  expect(block(renderNginxConfig(settings({ authServers: ['auth-b.internal:3000'] })), 'upstream pacsgate_auth')[0]).toBe('server auth-b.internal:3000 max_fails=1 fail_timeout=2s;');
  expect(() => renderNginxConfig(settings({ authServers: [] }))).toThrow(/authServers/);
  expect(() => renderNginxConfig(settings({ orthancServers: ['10.0.0.7:8042; include /etc/passwd'] }))).toThrow(/orthancServers/);
});

it('reads PACSGATE_AUTH_SERVERS and PACSGATE_ORTHANC_SERVERS, each by default this machine’s one server', () => {
  const env = { PACSGATE_CONFIG_DIR: dir, PACSGATE_PORT: '3100', PACSGATE_ORTHANC_HTTP_PORT: '8142' };
  expect(gateSettingsFromEnv(env)).toMatchObject({ authServers: ['127.0.0.1:3100'], orthancServers: ['127.0.0.1:8142'] });
  const listed = gateSettingsFromEnv({ ...env, PACSGATE_AUTH_SERVERS: '10.0.0.5:3000, auth-b:3000', PACSGATE_ORTHANC_SERVERS: '[fd00::8]:8042' });
  expect(listed).toMatchObject({ authServers: ['10.0.0.5:3000', 'auth-b:3000'], orthancServers: ['[fd00::8]:8042'] });
  const rendered = localNginxSettings(configLayout(dir), listed, { accessLog: false });
  expect(rendered).toMatchObject({ authServers: ['10.0.0.5:3000', 'auth-b:3000'], orthancServers: ['[fd00::8]:8042'] });
  for (const bad of ['10.0.0.5', '10.0.0.5:70000', 'http://10.0.0.5:3000', 'a b:3000', '10.0.0.5:3000;']) {
    expect(() => gateSettingsFromEnv({ ...env, PACSGATE_AUTH_SERVERS: bad })).toThrow(/PACSGATE_AUTH_SERVERS/);
  }
});

it('asks the next auth server on a failed connection or timeout, for the token check and the auth pages', () => {
  const config = renderNginxConfig(settings());
  for (const location of ['location = /_verify', 'location /auth/']) {
    expect(block(config, location)).toEqual(expect.arrayContaining(['proxy_next_upstream error timeout;', 'proxy_next_upstream_tries 3;']));
    expect(block(config, location).join('\n')).not.toMatch(/non_idempotent/);
  }
  expect(block(config, 'location = /_verify')).toEqual(expect.arrayContaining(['proxy_next_upstream_timeout 10s;', 'proxy_read_timeout 10s;']));
});

it('asks the next Orthanc for reads only, and checks and proxies writes as it does reads', () => {
  const config = renderNginxConfig(settings());
  const reads = block(config, 'location /');
  const writes = block(config, 'location @orthanc_write');
  expect(reads).toEqual(expect.arrayContaining(['if ($request_method !~ ^(GET|HEAD)$) {', 'error_page 418 = @orthanc_write;', 'return 418;']));
  expect(reads).toContain('proxy_next_upstream error timeout;');
  expect(writes).toContain('proxy_next_upstream off;');
  expect(writes).toContain('proxy_request_buffering off;');
  // Everything that checks the token, answers the browser or reaches Orthanc is the same in both.
  const shared = (lines: string[]) => lines.filter((line) => /^(auth_request|error_page [0-9]{3} |add_header|proxy_pass|proxy_set_header|proxy_hide_header|proxy_http_version)/.test(line));
  expect(shared(writes)).toEqual(shared(reads).filter((line) => line !== 'error_page 418 = @orthanc_write;'));
  expect(shared(writes)).toContain('auth_request /_verify;');
});

it('keeps the auth server’s readiness and verify routes off the public site', () => {
  const config = renderNginxConfig(settings());
  for (const route of ['/auth/readyz', '/auth/verify']) expect(block(config, `location = ${route}`)).toContain('return 404 \'{"message":"Not found"}\\n\';');
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
