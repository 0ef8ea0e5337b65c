import type { z } from 'zod';
import type { Actor, AdminAction } from '../audit/events';
import { BadRequest } from '../errors';
import { parseBody } from '../http/validate';
import { checkAdminPassword } from './admin-password';
import type { AdminDeps } from './deps';

export type CheckedForm<T> = { ok: true; form: T } | { ok: false; error: string };

/**
 * Parses an admin page's form and checks its admin password. A problem comes back as the message to
 * show, not thrown: the page is rendered again with what was typed.
 */
export async function readAdminForm<T extends z.ZodType<{ adminPassword: string }>>(
  deps: Pick<AdminDeps, 'hasher' | 'config' | 'tokens'>,
  body: unknown,
  schema: T,
  messages: Record<string, string>,
  action: (form: z.infer<T>) => AdminAction,
  actor: Actor,
): Promise<CheckedForm<z.infer<T>>> {
  try {
    const form = parseBody(schema, body, messages);
    await checkAdminPassword(deps, form.adminPassword, action(form), actor);
    return { ok: true, form };
  } catch (error) {
    if (!(error instanceof BadRequest)) throw error;
    return { ok: false, error: error.publicMessage };
  }
}
