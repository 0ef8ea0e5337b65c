import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AUDIT_TO_STDOUT } from './audit/audit-log';
import { databaseFields, DEFAULT_CONFIG_DIR, list, metricsFields, problemsOf, publicUrlOf, sharedFields } from './config-fields';
import { configLayout } from './config-files';
import { basicAuthorization, ORTHANC_USER } from './orthanc/credential';
import { readOrCreateSecret } from './secrets/secret-file';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  editorGroups: string[];
  groupsClaim: string;
}

export interface Config {
  host: string;
  port: number;
  configDir: string;
  /** The URL users reach Nginx at, without a trailing slash. */
  publicUrl: string;
  /** `iss` of every token we sign: the auth service's own public root. */
  issuer: string;
  allowedOrigins: string[];
  adminPasswordHash: string;
  sessionSecret: string;
  bcryptCost: number;
  /** Lifetimes in seconds; `shareLink` is the longest a share link may be made for. */
  ttl: { authToken: number; accessToken: number; refreshToken: number; shareLink: number };
  /** Which peers may set X-Forwarded-For (Express `trust proxy`): where Nginx runs. */
  trustProxy: string;
  rateLimit: { windowSeconds: number; adminAttempts: number; signInAttempts: number };
  oidc?: OidcConfig;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The audit log: a file path or `stdout`, and what `/verify` adds to it. */
  audit: { destination: string; accessLog: boolean; refusedPerSecond: number };
  /** How long Nginx's auth cache may reuse an allowed `/verify` answer; 0: not at all. */
  authCacheSeconds: number;
  /** The auth server's own way to Orthanc (scoped tokens, share links): with the credential Nginx sends. */
  orthanc: { url: string; authorization?: string };
  /** PostgreSQL (store/open-store.ts); absent: SQLite in the config dir. */
  database?: { url: string; poolSize: number };
  /** The Prometheus listener (`GET /metrics`); absent: none. */
  metrics?: { host: string; port: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const SECRET_VARIABLES = ['PACSGATE_ADMIN_PASSWORD_HASH', 'PACSGATE_OIDC_CLIENT_SECRET', 'PACSGATE_SESSION_SECRET', 'PACSGATE_ORTHANC_PASSWORD', 'PACSGATE_DATABASE_URL'] as const;

const seconds = (fallback: number, max = 365 * 86400) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/** The identity provider's and Orthanc's URLs: plain http is allowed there (a provider on the LAN, a demo, loopback). */
const httpUrl = z
  .url({ protocol: /^https?$/ })
  .transform((url) => url.replace(/\/+$/, ''));

const envSchema = z.object({
  ...sharedFields,
  ...databaseFields,
  ...metricsFields,
  PACSGATE_HOST: z.string().min(1).default('127.0.0.1'),
  PACSGATE_ADMIN_PASSWORD_HASH: z.string().regex(BCRYPT_HASH, 'must be a bcrypt hash').optional(),
  PACSGATE_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PACSGATE_AUTH_TOKEN_TTL: seconds(86400),
  PACSGATE_ACCESS_TOKEN_TTL: seconds(86400),
  PACSGATE_REFRESH_TOKEN_TTL: seconds(2592000),
  PACSGATE_SHARE_MAX_TTL: seconds(2592000),
  PACSGATE_RATE_LIMIT_WINDOW: seconds(900, 86400),
  PACSGATE_ADMIN_ATTEMPTS: z.coerce.number().int().min(1).max(10000).default(10),
  PACSGATE_SIGN_IN_ATTEMPTS: z.coerce.number().int().min(1).max(10000).default(20),
  PACSGATE_OIDC_ISSUER: httpUrl.optional(),
  PACSGATE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  PACSGATE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  PACSGATE_OIDC_NAME: z.string().min(1).max(60).default('OpenID Connect'),
  PACSGATE_OIDC_EDITOR_GROUPS: list,
  PACSGATE_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  PACSGATE_TRUST_PROXY: z.string().regex(/^[0-9a-f.:/, a-z]+$/i, 'must be loopback, uniquelocal or a list of addresses/CIDRs').default('loopback'),
  PACSGATE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  PACSGATE_AUDIT_LOG: z.string().min(1).optional(),
  PACSGATE_ACCESS_LOG: z.enum(['true', 'false']).default('false'),
  PACSGATE_AUDIT_REFUSED_PER_SECOND: z.coerce.number().int().min(0).max(100000).default(10),
  PACSGATE_ORTHANC_URL: httpUrl.optional(),
  PACSGATE_ORTHANC_PASSWORD: z.string().min(1).optional(),
});

type Env = Record<string, string | undefined>;

/** Resolves `NAME_FILE` into `NAME` for secrets; both set is an error. */
function readSecretFiles(env: Env, problems: string[]): Env {
  const resolved: Env = { ...env };
  for (const name of SECRET_VARIABLES) {
    const path = env[`${name}_FILE`];
    if (path === undefined) continue;
    if (env[name] !== undefined) {
      problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      resolved[name] = readFileSync(path, 'utf8').trim();
    } catch {
      problems.push(`${name}_FILE: cannot read ${path}`);
    }
  }
  return resolved;
}

function readOptionalFile(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

/** OIDC is on with all three of issuer, client id and secret, off with none; anything between is named. */
function oidcIsComplete(env: Partial<Record<'PACSGATE_OIDC_ISSUER' | 'PACSGATE_OIDC_CLIENT_ID' | 'PACSGATE_OIDC_CLIENT_SECRET', string>>, problems: string[]): boolean {
  const set = [env.PACSGATE_OIDC_ISSUER, env.PACSGATE_OIDC_CLIENT_ID, env.PACSGATE_OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (set === 1 || set === 2) problems.push('PACSGATE_OIDC_ISSUER, PACSGATE_OIDC_CLIENT_ID and PACSGATE_OIDC_CLIENT_SECRET: set all three or none');
  return set === 3;
}

function oidcFrom(env: z.infer<typeof envSchema>, problems: string[]): OidcConfig | undefined {
  const { PACSGATE_OIDC_ISSUER: issuer, PACSGATE_OIDC_CLIENT_ID: clientId, PACSGATE_OIDC_CLIENT_SECRET: clientSecret } = env;
  if (!oidcIsComplete(env, problems) || !issuer || !clientId || !clientSecret) return undefined;
  return {
    issuer,
    clientId,
    clientSecret,
    name: env.PACSGATE_OIDC_NAME,
    editorGroups: env.PACSGATE_OIDC_EDITOR_GROUPS,
    groupsClaim: env.PACSGATE_OIDC_GROUPS_CLAIM,
  };
}

function adminHashFrom(variable: string | undefined, configDir: string, problems: string[]): string | undefined {
  const path = configLayout(configDir).adminPasswordHash;
  const hash = variable ?? readOptionalFile(path);
  if (hash && BCRYPT_HASH.test(hash)) return hash;
  problems.push(`PACSGATE_ADMIN_PASSWORD_HASH: not set, and ${path} holds no bcrypt hash (run \`npm run setup\`)`);
  return undefined;
}

function sessionSecretFrom(configDir: string, problems: string[]): string | undefined {
  const path = configLayout(configDir).sessionSecret;
  try {
    return readOrCreateSecret(path);
  } catch (error) {
    problems.push(`PACSGATE_CONFIG_DIR: cannot read or create ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/** Basic credential of the Orthanc user; without a password (no setup yet) lookups fail as Orthanc refusing them. */
function orthancFrom(values: z.infer<typeof envSchema>, configDir: string): Config['orthanc'] {
  const password = values.PACSGATE_ORTHANC_PASSWORD ?? readOptionalFile(configLayout(configDir).orthancNginxPassword);
  return {
    url: values.PACSGATE_ORTHANC_URL ?? `http://127.0.0.1:${values.PACSGATE_ORTHANC_HTTP_PORT}`,
    authorization: password ? basicAuthorization(ORTHANC_USER, password) : undefined,
  };
}

/** Parses and checks the whole environment once; every bad variable is named in one error. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const raw = readSecretFiles(env, problems);
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...problemsOf(parsed.error));
    // The checks across variables and files still run on the raw values, so the one error names everything.
    if (raw.PACSGATE_ADMIN_PASSWORD_HASH === undefined) adminHashFrom(undefined, resolve(raw.PACSGATE_CONFIG_DIR || DEFAULT_CONFIG_DIR), problems);
    oidcIsComplete(raw, problems);
    throw new ConfigError(problems);
  }
  const values = parsed.data;
  const configDir = resolve(values.PACSGATE_CONFIG_DIR);
  const adminPasswordHash = adminHashFrom(values.PACSGATE_ADMIN_PASSWORD_HASH, configDir, problems);
  const oidc = oidcFrom(values, problems);
  const sessionSecret = values.PACSGATE_SESSION_SECRET ?? sessionSecretFrom(configDir, problems);
  if (values.PACSGATE_METRICS_PORT === values.PACSGATE_PORT) problems.push('PACSGATE_METRICS_PORT: must differ from PACSGATE_PORT (the port Nginx proxies to)');
  if (problems.length > 0) throw new ConfigError(problems);
  const publicUrl = publicUrlOf(values);
  return {
    host: values.PACSGATE_HOST,
    port: values.PACSGATE_PORT,
    configDir,
    publicUrl,
    issuer: `${publicUrl}/auth`,
    allowedOrigins: values.PACSGATE_ALLOWED_ORIGINS,
    adminPasswordHash: adminPasswordHash as string,
    sessionSecret: sessionSecret as string,
    bcryptCost: values.PACSGATE_BCRYPT_COST,
    ttl: {
      authToken: values.PACSGATE_AUTH_TOKEN_TTL,
      accessToken: values.PACSGATE_ACCESS_TOKEN_TTL,
      refreshToken: values.PACSGATE_REFRESH_TOKEN_TTL,
      shareLink: values.PACSGATE_SHARE_MAX_TTL,
    },
    trustProxy: values.PACSGATE_TRUST_PROXY,
    rateLimit: {
      windowSeconds: values.PACSGATE_RATE_LIMIT_WINDOW,
      adminAttempts: values.PACSGATE_ADMIN_ATTEMPTS,
      signInAttempts: values.PACSGATE_SIGN_IN_ATTEMPTS,
    },
    oidc,
    logLevel: values.PACSGATE_LOG_LEVEL,
    audit: {
      destination: values.PACSGATE_AUDIT_LOG === AUDIT_TO_STDOUT ? AUDIT_TO_STDOUT : resolve(values.PACSGATE_AUDIT_LOG ?? configLayout(configDir).auditLog),
      accessLog: values.PACSGATE_ACCESS_LOG === 'true',
      refusedPerSecond: values.PACSGATE_AUDIT_REFUSED_PER_SECOND,
    },
    authCacheSeconds: values.PACSGATE_AUTH_CACHE_SECONDS,
    orthanc: orthancFrom(values, configDir),
    database: values.PACSGATE_DATABASE_URL === undefined ? undefined : { url: values.PACSGATE_DATABASE_URL, poolSize: values.PACSGATE_DATABASE_POOL_SIZE },
    ...(values.PACSGATE_METRICS_PORT !== undefined && { metrics: { host: values.PACSGATE_METRICS_HOST, port: values.PACSGATE_METRICS_PORT } }),
  };
}
