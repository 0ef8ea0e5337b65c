import type { z } from 'zod';
import { BadRequest } from '../errors';

/**
 * Parses a request body with a strict schema. The first failing field picks the message, so the
 * contract's messages ("Name not valid", ...) come out; anything else is "Invalid data".
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, messages: Record<string, string> = {}): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const field = String(result.error.issues[0]?.path[0] ?? '');
  throw new BadRequest(messages[field] ?? 'Invalid data');
}
