import bcrypt from 'bcrypt';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ConfigError, loadConfig } from '../../auth-server/src/config';
import { configLayout } from '../../auth-server/src/config-files';

const HASH = bcrypt.hashSync('admin secret', 4);

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pacsgate-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (extra: Record<string, string | undefined> = {}) => ({ PACSGATE_CONFIG_DIR: dir, PACSGATE_ADMIN_PASSWORD_HASH: HASH, ...extra });
  const writeFile = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  /** The problems a failing load names, one per line. */
  function problemsOf(values: Record<string, string | undefined>): string[] {
    try {
      loadConfig(values);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  it('applies the documented defaults', () => {
    const config = loadConfig(env());
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      configDir: dir,
      publicUrl: 'https://localhost:8443',
      issuer: 'https://localhost:8443/auth',
      allowedOrigins: [],
      adminPasswordHash: HASH,
      ttl: { authToken: 86400, accessToken: 86400, refreshToken: 2592000, shareLink: 2592000 },
      logLevel: 'info',
    });
    expect(config.oidc).toBeUndefined();
  });

  it('reads every documented variable, trimming a trailing slash off the public URL', () => {
    const config = loadConfig(env({
      PACSGATE_HOST: '0.0.0.0',
      PACSGATE_PORT: '3100',
      PACSGATE_PUBLIC_URL: 'https://pacs.example.org/',
      PACSGATE_ALLOWED_ORIGINS: ' https://viewer.example.org , https://*.clinic.example ',
      PACSGATE_AUTH_TOKEN_TTL: '600',
      PACSGATE_ACCESS_TOKEN_TTL: '300',
      PACSGATE_REFRESH_TOKEN_TTL: '3600',
      PACSGATE_SHARE_MAX_TTL: '7200',
      PACSGATE_LOG_LEVEL: 'warn',
    }));
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 3100,
      publicUrl: 'https://pacs.example.org',
      issuer: 'https://pacs.example.org/auth',
      allowedOrigins: ['https://viewer.example.org', 'https://*.clinic.example'],
      ttl: { authToken: 600, accessToken: 300, refreshToken: 3600, shareLink: 7200 },
      logLevel: 'warn',
    });
  });

  it('names every bad variable in one error', () => {
    const problems = problemsOf(env({
      PACSGATE_PORT: 'eighty',
      PACSGATE_PUBLIC_URL: 'ftp://pacs.example.org',
      PACSGATE_ALLOWED_ORIGINS: 'https://viewer.example.org,https://evil.example/path',
      PACSGATE_ACCESS_TOKEN_TTL: '0',
      PACSGATE_LOG_LEVEL: 'verbose',
      PACSGATE_ADMIN_PASSWORD_HASH: 'plain-text-password',
    }));
    for (const name of ['PACSGATE_PORT', 'PACSGATE_PUBLIC_URL', 'PACSGATE_ALLOWED_ORIGINS', 'PACSGATE_ACCESS_TOKEN_TTL', 'PACSGATE_LOG_LEVEL', 'PACSGATE_ADMIN_PASSWORD_HASH']) {
      expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
    }
    expect(problems).toHaveLength(6);
  });

  it('names a missing admin hash and half an OIDC setup alongside malformed values', () => {
    const problems = problemsOf({ PACSGATE_CONFIG_DIR: dir, PACSGATE_PORT: 'eighty', PACSGATE_OIDC_ISSUER: 'https://id.example.org' });
    expect(problems.some((problem) => problem.startsWith('PACSGATE_PORT'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('PACSGATE_ADMIN_PASSWORD_HASH'))).toBe(true);
    expect(problems.some((problem) => problem.includes('PACSGATE_OIDC_CLIENT_ID'))).toBe(true);
  });

  it('refuses wildcards that would match a whole top-level domain, and port 0 or an empty port', () => {
    const problems = problemsOf(env({ PACSGATE_ALLOWED_ORIGINS: 'https://*.com,https://*,https://a.*.example.org', PACSGATE_PORT: '' }));
    expect(problems.filter((problem) => problem.startsWith('PACSGATE_ALLOWED_ORIGINS'))).toHaveLength(3);
    expect(problems.some((problem) => problem.startsWith('PACSGATE_PORT'))).toBe(true);
  });

  it('serves metrics only when PACSGATE_METRICS_PORT is set, on loopback unless told otherwise', () => {
    expect(loadConfig(env()).metrics).toBeUndefined();
    expect(loadConfig(env({ PACSGATE_METRICS_PORT: '9464' })).metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig(env({ PACSGATE_METRICS_PORT: '9464', PACSGATE_METRICS_HOST: '0.0.0.0' })).metrics).toEqual({ host: '0.0.0.0', port: 9464 });
  });

  it('refuses a metrics port that is the port Nginx proxies to, or no port at all', () => {
    expect(problemsOf(env({ PACSGATE_METRICS_PORT: '3100', PACSGATE_PORT: '3100' }))).toEqual([expect.stringMatching(/^PACSGATE_METRICS_PORT: must differ from PACSGATE_PORT/)]);
    expect(problemsOf(env({ PACSGATE_METRICS_PORT: '3000' }))).toEqual([expect.stringMatching(/^PACSGATE_METRICS_PORT: must differ/)]);
    expect(problemsOf(env({ PACSGATE_METRICS_PORT: '' }))).toEqual([expect.stringMatching(/^PACSGATE_METRICS_PORT/)]);
  });

  it('stores allowed origins as browsers send them: lower case, without default ports', () => {
    const config = loadConfig(env({ PACSGATE_ALLOWED_ORIGINS: 'https://Viewer.Example.org:443,http://lab.example:80,https://*.clinic.example:8443' }));
    expect(config.allowedOrigins).toEqual(['https://viewer.example.org', 'http://lab.example', 'https://*.clinic.example:8443']);
  });

  it('reads the admin hash from the config dir when the environment has none', () => {
    writeFile(basename(configLayout(dir).adminPasswordHash), `${HASH}\n`);
    expect(loadConfig({ PACSGATE_CONFIG_DIR: dir }).adminPasswordHash).toBe(HASH);
  });

  it('refuses to start without an admin hash, pointing at setup', () => {
    expect(problemsOf({ PACSGATE_CONFIG_DIR: dir })).toEqual([expect.stringMatching(/^PACSGATE_ADMIN_PASSWORD_HASH: .*npm run setup/)]);
  });

  describe('_FILE variants of secrets', () => {
    it('reads PACSGATE_ADMIN_PASSWORD_HASH_FILE, trimmed', () => {
      const path = writeFile('hash', `${HASH}\n`);
      expect(loadConfig(env({ PACSGATE_ADMIN_PASSWORD_HASH: undefined, PACSGATE_ADMIN_PASSWORD_HASH_FILE: path })).adminPasswordHash).toBe(HASH);
    });

    it('reads PACSGATE_OIDC_CLIENT_SECRET_FILE', () => {
      const path = writeFile('oidc-secret', 'client-secret\n');
      const config = loadConfig(env({ PACSGATE_OIDC_ISSUER: 'https://id.example.org', PACSGATE_OIDC_CLIENT_ID: 'pacsgate', PACSGATE_OIDC_CLIENT_SECRET_FILE: path }));
      expect(config.oidc?.clientSecret).toBe('client-secret');
    });

    it('refuses a variable set both directly and as _FILE', () => {
      const path = writeFile('hash', HASH);
      expect(problemsOf(env({ PACSGATE_ADMIN_PASSWORD_HASH_FILE: path }))).toEqual([
        expect.stringMatching(/PACSGATE_ADMIN_PASSWORD_HASH.*PACSGATE_ADMIN_PASSWORD_HASH_FILE.*not both/),
      ]);
    });

    it('names a _FILE that cannot be read', () => {
      expect(problemsOf(env({ PACSGATE_ADMIN_PASSWORD_HASH: undefined, PACSGATE_ADMIN_PASSWORD_HASH_FILE: join(dir, 'missing') }))).toContainEqual(
        expect.stringMatching(/^PACSGATE_ADMIN_PASSWORD_HASH_FILE: cannot read/),
      );
    });
  });

  describe('database', () => {
    const url = 'postgres://pacsgate:db-Secret-1@db.example.org:5432/pacsgate?sslmode=verify-full';

    it('is SQLite in the config dir when no PostgreSQL URL is set', () => {
      expect(loadConfig(env()).database).toBeUndefined();
    });

    it('is PostgreSQL with PACSGATE_DATABASE_URL, a pool of 10 unless told', () => {
      expect(loadConfig(env({ PACSGATE_DATABASE_URL: url })).database).toEqual({ url, poolSize: 10 });
      expect(loadConfig(env({ PACSGATE_DATABASE_URL: url, PACSGATE_DATABASE_POOL_SIZE: '4' })).database).toEqual({ url, poolSize: 4 });
    });

    it('reads the URL, a secret, from PACSGATE_DATABASE_URL_FILE', () => {
      const path = writeFile('database-url', `${url}\n`);
      expect(loadConfig(env({ PACSGATE_DATABASE_URL_FILE: path })).database?.url).toBe(url);
    });

    it.each([
      ['a URL of another database', { PACSGATE_DATABASE_URL: 'mysql://pacsgate:db-Secret-1@db.example.org/pacsgate' }, /^PACSGATE_DATABASE_URL: must be a postgres:\/\//],
      ['no URL at all', { PACSGATE_DATABASE_URL: 'pacsgate:db-Secret-1@db.example.org' }, /^PACSGATE_DATABASE_URL: must be a postgres:\/\//],
      ['an empty pool', { PACSGATE_DATABASE_URL: url, PACSGATE_DATABASE_POOL_SIZE: '0' }, /^PACSGATE_DATABASE_POOL_SIZE: /],
    ])('refuses %s without quoting the password', (_, values, problem) => {
      const problems = problemsOf(env(values));
      expect(problems).toEqual([expect.stringMatching(problem)]);
      expect(problems.join('\n')).not.toContain('db-Secret-1');
    });
  });

  describe('OpenID Connect', () => {
    const oidc = { PACSGATE_OIDC_ISSUER: 'https://id.example.org', PACSGATE_OIDC_CLIENT_ID: 'pacsgate', PACSGATE_OIDC_CLIENT_SECRET: 'client-secret' };

    it('is on with all three of issuer, client id and secret', () => {
      expect(loadConfig(env({ ...oidc, PACSGATE_OIDC_EDITOR_GROUPS: 'radiology, admins' })).oidc).toMatchObject({
        issuer: 'https://id.example.org', clientId: 'pacsgate', clientSecret: 'client-secret', editorGroups: ['radiology', 'admins'], groupsClaim: 'groups',
      });
    });

    it.each(Object.keys(oidc))('refuses a setup missing only %s', (missing) => {
      expect(problemsOf(env({ ...oidc, [missing]: undefined }))).toEqual([expect.stringMatching(/set all three or none/)]);
    });
  });

  it('generates the session secret once, in a file only its owner can read', () => {
    const first = loadConfig(env()).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig(env()).sessionSecret).toBe(first);
    expect(readFileSync(configLayout(dir).sessionSecret, 'utf8').trim()).toBe(first);
    expect(statSync(configLayout(dir).sessionSecret).mode & 0o777).toBe(0o600);
  });
});
