import type { Request, Response } from 'express';
import type { Actor, AdminAction } from '../audit/events';
import { BadRequest } from '../errors';
import { countAsFailedAttempt } from '../http/rate-limit';
import type { AdminDeps } from './deps';

export const webActor = (req: Request, via: 'page' | 'api'): Actor => ({ via, ip: req.ip });

/**
 * Checks the admin password for `action`; a wrong one is audited, counted against the client's
 * failed-attempt limit, then refused with the contract's message.
 */
export async function checkAdminPassword(
  deps: Pick<AdminDeps, 'hasher' | 'config' | 'services'>,
  password: string,
  action: AdminAction,
  actor: Actor,
  res: Response,
): Promise<void> {
  if (await deps.hasher.matches(password, deps.config.adminPasswordHash)) return;
  deps.services.audit.record({ event: 'admin.refused', action, reason: 'wrong-admin-password', ...actor });
  countAsFailedAttempt(res);
  throw new BadRequest('Invalid admin password');
}
