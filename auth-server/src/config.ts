import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
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
  ttl: { authToken: number; accessToken: number; refreshToken: number };
  /** Which peers may set X-Forwarded-For (Express `trust proxy`): where Nginx runs. */
  trustProxy: string;
  rateLimit: { windowSeconds: number; adminAttempts: number; signInAttempts: number };
  oidc?: OidcConfig;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export const ADMIN_HASH_FILE = 'admin-password.bcrypt';
export const SESSION_SECRET_FILE = 'session-secret';

const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const SECRET_VARIABLES = ['PACSGATE_ADMIN_PASSWORD_HASH', 'PACSGATE_OIDC_CLIENT_SECRET', 'PACSGATE_SESSION_SECRET'] as const;

const seconds = (fallback: number, max = 365 * 86400) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .transform((url) => url.replace(/\/+$/, ''));

const list = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const origin = z.string().regex(/^https?:\/\/[a-z0-9*.-]+(:\d{1,5})?$/i, 'must be an origin such as https://viewer.example.org');

const envSchema = z.object({
  PACSGATE_HOST: z.string().min(1).default('127.0.0.1'),
  PACSGATE_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PACSGATE_CONFIG_DIR: z.string().min(1).default('./data'),
  PACSGATE_PUBLIC_URL: httpUrl.default('https://localhost:8443'),
  PACSGATE_ALLOWED_ORIGINS: list.pipe(z.array(origin)),
  PACSGATE_ADMIN_PASSWORD_HASH: z.string().regex(BCRYPT_HASH, 'must be a bcrypt hash').optional(),
  PACSGATE_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PACSGATE_AUTH_TOKEN_TTL: seconds(86400),
  PACSGATE_ACCESS_TOKEN_TTL: seconds(86400),
  PACSGATE_REFRESH_TOKEN_TTL: seconds(2592000),
  PACSGATE_BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
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

function oidcFrom(env: z.infer<typeof envSchema>, problems: string[]): OidcConfig | undefined {
  const { PACSGATE_OIDC_ISSUER: issuer, PACSGATE_OIDC_CLIENT_ID: clientId, PACSGATE_OIDC_CLIENT_SECRET: clientSecret } = env;
  if (!issuer && !clientId && !clientSecret) return undefined;
  if (!issuer || !clientId || !clientSecret) {
    problems.push('PACSGATE_OIDC_ISSUER, PACSGATE_OIDC_CLIENT_ID and PACSGATE_OIDC_CLIENT_SECRET: set all three or none');
    return undefined;
  }
  return {
    issuer,
    clientId,
    clientSecret,
    name: env.PACSGATE_OIDC_NAME,
    editorGroups: env.PACSGATE_OIDC_EDITOR_GROUPS,
    groupsClaim: env.PACSGATE_OIDC_GROUPS_CLAIM,
  };
}

function sessionSecretFrom(configDir: string, problems: string[]): string | undefined {
  const path = join(configDir, SESSION_SECRET_FILE);
  try {
    return readOrCreateSecret(path);
  } catch (error) {
    problems.push(`PACSGATE_CONFIG_DIR: cannot read or create ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/** Parses and checks the whole environment once; every bad variable is named in one error. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const parsed = envSchema.safeParse(readSecretFiles(env, problems));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const values = parsed.data;
  const configDir = resolve(values.PACSGATE_CONFIG_DIR);
  const adminPasswordHash = values.PACSGATE_ADMIN_PASSWORD_HASH ?? readOptionalFile(join(configDir, ADMIN_HASH_FILE));
  if (!adminPasswordHash || !BCRYPT_HASH.test(adminPasswordHash)) {
    problems.push(`PACSGATE_ADMIN_PASSWORD_HASH: not set, and ${join(configDir, ADMIN_HASH_FILE)} holds no bcrypt hash (run \`npm run setup\`)`);
  }
  const oidc = oidcFrom(values, problems);
  const sessionSecret = values.PACSGATE_SESSION_SECRET ?? sessionSecretFrom(configDir, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host: values.PACSGATE_HOST,
    port: values.PACSGATE_PORT,
    configDir,
    publicUrl: values.PACSGATE_PUBLIC_URL,
    issuer: `${values.PACSGATE_PUBLIC_URL}/auth`,
    allowedOrigins: values.PACSGATE_ALLOWED_ORIGINS,
    adminPasswordHash: adminPasswordHash as string,
    sessionSecret: sessionSecret as string,
    bcryptCost: values.PACSGATE_BCRYPT_COST,
    ttl: {
      authToken: values.PACSGATE_AUTH_TOKEN_TTL,
      accessToken: values.PACSGATE_ACCESS_TOKEN_TTL,
      refreshToken: values.PACSGATE_REFRESH_TOKEN_TTL,
    },
    trustProxy: values.PACSGATE_TRUST_PROXY,
    rateLimit: {
      windowSeconds: values.PACSGATE_RATE_LIMIT_WINDOW,
      adminAttempts: values.PACSGATE_ADMIN_ATTEMPTS,
      signInAttempts: values.PACSGATE_SIGN_IN_ATTEMPTS,
    },
    oidc,
    logLevel: values.PACSGATE_LOG_LEVEL,
  };
}
