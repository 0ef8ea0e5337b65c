import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../auth-server/src/config';
import { gateSettingsFromEnv } from '../../setup/gate-settings';

// Setup (and the stack, and the Nginx config they render) and the auth server read the same
// variables: they must accept and refuse the same values, and normalise them the same way.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pacsgate-settings-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HASH = `$2b$04$${'a'.repeat(53)}`;
type Read = { ok: true; publicUrl: string; allowedOrigins: string[]; bcryptCost: number; authCacheSeconds: number } | { ok: false };

function byServer(env: Record<string, string>): Read {
  try {
    const config = loadConfig({ PACSGATE_CONFIG_DIR: dir, PACSGATE_ADMIN_PASSWORD_HASH: HASH, PACSGATE_SESSION_SECRET: 'x'.repeat(32), ...env });
    return { ok: true, publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins, bcryptCost: config.bcryptCost, authCacheSeconds: config.authCacheSeconds };
  } catch {
    return { ok: false };
  }
}

function bySetup(env: Record<string, string>): Read {
  try {
    const settings = gateSettingsFromEnv({ PACSGATE_CONFIG_DIR: dir, ...env });
    return { ok: true, publicUrl: settings.publicUrl, allowedOrigins: settings.allowedOrigins, bcryptCost: settings.bcryptCost, authCacheSeconds: settings.authCacheSeconds };
  } catch {
    return { ok: false };
  }
}

it('normalises an allowed origin once, for the server and for Nginx’s CORS map alike', () => {
  const env = { PACSGATE_ALLOWED_ORIGINS: 'https://Viewer.example.org:443, http://Lab.example:80,https://*.clinic.example:8443' };
  const expected = ['https://viewer.example.org', 'http://lab.example', 'https://*.clinic.example:8443'];
  expect(bySetup(env)).toMatchObject({ ok: true, allowedOrigins: expected });
  expect(byServer(env)).toMatchObject({ ok: true, allowedOrigins: expected });
});

it.each([
  ['an origin without a scheme', { PACSGATE_ALLOWED_ORIGINS: 'viewer.example.org' }],
  ['an origin with a path', { PACSGATE_ALLOWED_ORIGINS: 'https://viewer.example.org/app' }],
  ['a wildcard over a top-level domain', { PACSGATE_ALLOWED_ORIGINS: 'https://*.org' }],
  ['a plain-http public URL on a network host', { PACSGATE_PUBLIC_URL: 'http://pacs.example.org' }],
  ['a public URL that is not http(s)', { PACSGATE_PUBLIC_URL: 'ftp://pacs.example.org' }],
  ['a port out of range', { PACSGATE_PORT: '70000' }],
  ['a bcrypt cost out of range', { PACSGATE_BCRYPT_COST: '3' }],
  ['an auth cache longer than 5 s', { PACSGATE_AUTH_CACHE_SECONDS: '6' }],
])('refuses %s in setup and in the server alike', (_, env) => {
  expect(bySetup(env)).toEqual({ ok: false });
  expect(byServer(env)).toEqual({ ok: false });
});

it.each([
  ['a plain-http public URL on localhost, which browsers treat as secure', { PACSGATE_PUBLIC_URL: 'http://localhost:8080/' }],
  ['an https public URL', { PACSGATE_PUBLIC_URL: 'https://PACS.example.org' }],
  ['no public URL: https://localhost on the HTTPS port', { PACSGATE_HTTPS_PORT: '9443' }],
])('reads %s the same in setup and in the server', (_, env) => {
  const server = byServer(env);
  expect(server.ok).toBe(true);
  expect(bySetup(env)).toEqual(server);
});

it('agrees with the server on any list of origins: both refuse it, or both store the same list', () => {
  const label = fc.stringMatching(/^[A-Za-z0-9*-]{1,6}$/);
  const origin = fc.tuple(fc.constantFrom('https://', 'http://', '', 'ftp://'), fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('', ':443', ':80', ':8443', '/x'))
    .map(([scheme, labels, tail]) => `${scheme}${labels.join('.')}${tail}`);
  fc.assert(fc.property(fc.array(origin, { maxLength: 3 }), (origins) => {
    const env = { PACSGATE_ALLOWED_ORIGINS: origins.join(',') };
    expect(bySetup(env)).toEqual(byServer(env));
  }));
});

it('keeps the auth cache on at 1 s unless told otherwise, and off at 0, in setup and the server alike', () => {
  expect(bySetup({})).toMatchObject({ ok: true, authCacheSeconds: 1 });
  expect(byServer({})).toMatchObject({ ok: true, authCacheSeconds: 1 });
  expect(bySetup({ PACSGATE_AUTH_CACHE_SECONDS: '0' })).toMatchObject({ ok: true, authCacheSeconds: 0 });
  expect(byServer({ PACSGATE_AUTH_CACHE_SECONDS: '0' })).toMatchObject({ ok: true, authCacheSeconds: 0 });
});
