/** Socket errors of a database on the network that is down, restarting or cut off. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL's SQLSTATEs for the same: class 08 (connection exception), and 57P01-57P03 (the server
 * is shutting down, crashed, or is starting and not yet accepting connections).
 */
const SERVER_GONE = /^(08[0-9A-Z]{3}|57P0[123])$/;

/** The `pg` driver's own words when a connection ends or never opens; it gives these no code. */
const DRIVER_GONE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether a store call failed because the database could not be reached (a retry later will do),
 * rather than because of the request or a bug: http/error-handler.ts answers these 503.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  // Read as plain fields: socket errors come from Node's own realm, which `instanceof Error` may not share.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GONE.test(code))) return true;
  return typeof message === 'string' && DRIVER_GONE.test(message);
}
