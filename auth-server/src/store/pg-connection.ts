import pg from 'pg';

/** How to reach the database: `PACSGATE_DATABASE_URL` and `PACSGATE_DATABASE_POOL_SIZE`. */
export interface PgStoreOptions {
  url: string;
  poolSize: number;
}

/** A database that does not answer fails a request (503) after this, rather than holding it. */
const CONNECT_TIMEOUT_MS = 5000;

/** BIGINT (epoch seconds, revocation numbers) as a JS number: exact below 2^53, far beyond any of ours. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * The settings of every connection. TLS is what the URL asks for, as the `pg` driver reads it:
 * `sslmode=verify-full` (and, in pg 8, `require`/`verify-ca`, treated the same) checks the server's
 * certificate and name against Node's CAs or `sslrootcert=<file>`; `sslmode=no-verify` encrypts without checking; no `sslmode`: no TLS.
 */
export const connectionConfig = (options: PgStoreOptions, applicationName: string): pg.ClientConfig => ({
  connectionString: options.url,
  connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  keepAlive: true,
  application_name: applicationName,
  types,
});

/** `database pacsgate on db.example:5432`: what an operator needs to find the problem, without the credentials. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL database ${decodeURIComponent(parsed.pathname.slice(1)) || '(default)'} on ${parsed.hostname || 'localhost'}:${parsed.port || 5432}`;
  } catch {
    return 'the PostgreSQL database of PACSGATE_DATABASE_URL (not a valid URL)';
  }
}

/** A driver's message with the URL's password taken out, should any error ever quote it. */
export function withoutPassword(message: string, url: string): string {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return message.replaceAll(url, '(PACSGATE_DATABASE_URL)');
  }
  if (!password) return message;
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A stray `%`: the driver cannot decode it either, and says so without quoting it.
  }
  return [password, decoded].reduce((text, secret) => text.replaceAll(secret, '***'), message);
}
