import type { ErrorRequestHandler, Request, Response } from 'express';
import type { z } from 'zod';
import type { AdminAction } from '../audit/events';
import { BadRequest } from '../errors';
import { parseBody } from '../http/validate';
import { checkAdminPassword, webActor } from './admin-password';
import type { AdminDeps } from './deps';
import { ADMIN_FORM_MESSAGES } from './schemas';

/** Parses an admin page's form and checks its admin password; a problem is thrown as a BadRequest. */
export async function readAdminForm<T extends z.ZodType<{ adminPassword: string }>>(
  deps: Pick<AdminDeps, 'hasher' | 'config' | 'services'>,
  req: Request,
  res: Response,
  schema: T,
  action: (form: z.infer<T>) => AdminAction,
  messages: Record<string, string> = ADMIN_FORM_MESSAGES,
): Promise<z.infer<T>> {
  const form = parseBody(schema, req.body, messages);
  await checkAdminPassword(deps, form.adminPassword, action(form), webActor(req, 'page'), res);
  return form;
}

/** What a form page shows again after a BadRequest. */
export interface FormFailure {
  status: number;
  error: string;
}

/**
 * An admin page's own error handler: a BadRequest shows the page again, with its message and what
 * was typed. Anything else (CSRF, 429, 5xx) goes on to the app's error handler.
 */
export function showFormAgain(render: (req: Request, res: Response, failure: FormFailure) => void | Promise<void>): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!(error instanceof BadRequest) || res.headersSent) return next(error);
    return render(req, res, { status: error.status, error: error.publicMessage });
  };
}
