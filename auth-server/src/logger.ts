import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that could carry a credential; pino replaces them wherever a log call passes them. */
export const REDACTED = [
  'password', 'userPassword', 'token', 'accessToken', 'refreshToken', 'authorization', 'cookie', 'hash',
  '*.password', '*.userPassword', '*.token', '*.authorization', '*.cookie', '*.hash',
  // The names our own types give credentials: form fields, UserRecord, TokenPair, Config.
  'adminPassword', '_csrf', 'passwordHash', 'adminPasswordHash', 'sessionSecret', 'clientSecret',
  '*.adminPassword', '*._csrf', '*.passwordHash', '*.accessToken', '*.refreshToken', '*.adminPasswordHash', '*.sessionSecret', '*.clientSecret',
  '*.oidc.clientSecret',
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'pacsgate' }, redact: { paths: REDACTED, censor: '[redacted]' } }, destination);
}
