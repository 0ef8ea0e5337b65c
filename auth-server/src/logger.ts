import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that could carry a credential; pino replaces them wherever a log call passes them. */
const REDACTED = [
  'password', 'userPassword', 'token', 'accessToken', 'refreshToken', 'authorization', 'cookie', 'hash',
  '*.password', '*.userPassword', '*.token', '*.authorization', '*.cookie', '*.hash',
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'pacsgate' }, redact: { paths: REDACTED, censor: '[redacted]' } }, destination);
}
