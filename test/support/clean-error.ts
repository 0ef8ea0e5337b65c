import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from './listening-server';

export type ErrorShape = 'json' | 'html' | 'empty';

const REPOSITORY = join(__dirname, '..', '..');

/** What a body must never show: a stack frame, a source location, a path on the server. */
const LEAKS: RegExp[] = [
  /\n\s*at \S/,
  /\bat Object\./,
  /\bat (?:async )?[\w$.<>]+ \(/,
  /\.[cm]?[jt]s:\d+/,
  /node_modules/,
  /SqliteError|TypeError|RangeError|SyntaxError|ReferenceError/,
  new RegExp(REPOSITORY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  new RegExp(`${tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/pacsgate-`),
];

/** The leaks a body shows, empty when it is clean. */
export function leaksIn(body: string): string[] {
  return LEAKS.filter((pattern) => pattern.test(body)).map(String);
}

/** The shape of an error reply (an ErrorShape), or a description of what is wrong with it. */
export function errorShapeOf(reply: Reply): string {
  const type = String(reply.headers['content-type'] ?? '');
  const leaks = leaksIn(reply.body);
  if (leaks.length > 0) return `leaks ${leaks.join(', ')}`;
  if (reply.body === '') return 'empty';
  if (type.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(reply.body);
    const message = (parsed as { message?: unknown } | null)?.message;
    return typeof message === 'string' && message.length > 0 ? 'json' : `JSON without a message: ${reply.body.slice(0, 200)}`;
  }
  if (type.startsWith('text/html') && /^<!doctype html>/i.test(reply.body) && /role="alert"/.test(reply.body)) return 'html';
  return `unexpected ${type}: ${reply.body.slice(0, 200)}`;
}
