import { z } from 'zod';
import { MAX_AUTH_CACHE_SECONDS } from './verify/cache-control';

/**
 * The variables the auth server, setup and the stack all read, defined once: each part parses
 * them with these fields, so they accept and refuse the same values and normalise them the same
 * way (the Nginx config is rendered from what setup parsed).
 */

export const DEFAULT_CONFIG_DIR = './data';
export const DEFAULT_HTTPS_PORT = 8443;
/** A viewer's burst asks the auth server once a second; a revoked token may pass for up to 2 s (docs/operations.md). */
export const DEFAULT_AUTH_CACHE_SECONDS = 1;

const portNumber = z.coerce.number().int().min(1).max(65535);
export const port = (fallback: number) => portNumber.default(fallback);

/** A comma-separated list, blanks dropped. */
export const list = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

/** A name, an IPv4 address or a bracketed IPv6 address, then a port: what an Nginx `server` line takes. */
const HOST_PORT = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\]):(\d{1,5})$/i;

/** host:port,host:port: the servers Nginx spreads requests over (setup/nginx-config.ts). */
export const serverList = list.pipe(z.array(z.string().refine((value) => {
  const port = HOST_PORT.exec(value)?.[1];
  return port !== undefined && Number(port) >= 1 && Number(port) <= 65535;
}, 'must be host:port, e.g. 10.0.0.5:3000')));

/** Browsers treat these as secure contexts over plain http, so Secure cookies still work there. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where users reach Nginx: https, or http on a loopback host only (a development machine). Nginx
 * itself serves only https; a plain-http public URL elsewhere would send tokens in clear.
 */
const publicUrl = z
  .url({ protocol: /^https?$/, abort: true })
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
  }, 'must be an https:// URL (http:// only on localhost)')
  .transform((url) => url.replace(/\/+$/, ''));

const ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i;
/** `*` only as the leftmost label of a host with at least two more labels: `https://*.com` is refused. */
const WILDCARD_ORIGIN = /^https?:\/\/\*\.[a-z0-9-]+\.[a-z0-9-]+/i;

/** Browsers send origins in lower case and without a default port: stored the same way, they compare equal. */
export const normaliseOrigin = (value: string): string => value.toLowerCase().replace(/^(https:\/\/.+):443$|^(http:\/\/.+):80$/, '$1$2');

const origin = z
  .string()
  .superRefine((value, ctx) => {
    if (!ORIGIN.test(value)) ctx.addIssue({ code: 'custom', message: `must be an origin such as https://viewer.example.org: ${value}` });
    else if (value.includes('*') && !WILDCARD_ORIGIN.test(value)) ctx.addIssue({ code: 'custom', message: `a * must stand for the leftmost label of a host with at least two more labels: ${value}` });
  })
  .transform(normaliseOrigin);

/** The fields both the auth server and setup read, by variable name. */
export const sharedFields = {
  PACSGATE_CONFIG_DIR: z.string().min(1).default(DEFAULT_CONFIG_DIR),
  /** Absent: `https://localhost:<PACSGATE_HTTPS_PORT>` (publicUrlOf). */
  PACSGATE_PUBLIC_URL: publicUrl.optional(),
  PACSGATE_HTTPS_PORT: port(DEFAULT_HTTPS_PORT),
  PACSGATE_ALLOWED_ORIGINS: list.pipe(z.array(origin)),
  PACSGATE_PORT: port(3000),
  /** Orthanc's own HTTP port on loopback: the stack starts it there, the auth server asks it. */
  PACSGATE_ORTHANC_HTTP_PORT: port(8042),
  PACSGATE_BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  /** How long Nginx's auth cache may reuse an allowed `/verify` answer; 0: every request asks. */
  PACSGATE_AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(MAX_AUTH_CACHE_SECONDS).default(DEFAULT_AUTH_CACHE_SECONDS),
};

/**
 * Where `GET /metrics` (Prometheus) is served: a listener of its own, never the port Nginx proxies
 * `/auth/` to, so no spelling of a public URL can reach it. Unset port: no metrics listener.
 */
export const metricsFields = {
  PACSGATE_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  PACSGATE_METRICS_PORT: portNumber.optional(),
};

/** The message never quotes the value: it holds the database password. */
const postgresUrl = z.string().refine((value) => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be a postgres://user:password@host:5432/database URL');

/** The auth server's database: PostgreSQL when a URL is set (a secret: `_FILE` accepted), else SQLite in the config dir. */
export const databaseFields = {
  PACSGATE_DATABASE_URL: postgresUrl.optional(),
  PACSGATE_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
};

/** The public URL, without a trailing slash. */
export const publicUrlOf = (values: { PACSGATE_PUBLIC_URL?: string; PACSGATE_HTTPS_PORT: number }): string =>
  values.PACSGATE_PUBLIC_URL ?? `https://localhost:${values.PACSGATE_HTTPS_PORT}`;

/** One line per problem, each starting with the variable's name. */
export const problemsOf = (error: z.ZodError): string[] => error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
