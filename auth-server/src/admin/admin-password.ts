import type { Request, Response } from 'express';
import type { Actor, AdminAction } from '../audit/events';
import { BadRequest } from '../errors';
import { countAsFailedAttempt } from '../http/rate-limit';
import type { AdminDeps } from './deps';

export const webActor = (req: Request, via: 'page' | 'api'): Actor => ({ via, ip: req.ip });

type PasswordDeps = Pick<AdminDeps, 'hasher' | 'config' | 'services'>;

/** Whether `password` is the admin password; a wrong one is audited and counted against the client's failed-attempt limit. */
export async function adminPasswordMatches(deps: PasswordDeps, password: string, action: AdminAction, actor: Actor, res: Response): Promise<boolean> {
  if (await deps.hasher.matches(password, deps.config.adminPasswordHash)) return true;
  deps.services.audit.record({ event: 'admin.refused', action, reason: 'wrong-admin-password', ...actor });
  countAsFailedAttempt(res);
  return false;
}

/** Checks the admin password for `action`; a wrong one is audited, counted, then refused with the contract's message. */
export async function checkAdminPassword(deps: PasswordDeps, password: string, action: AdminAction, actor: Actor, res: Response): Promise<void> {
  if (!(await adminPasswordMatches(deps, password, action, actor, res))) throw new BadRequest('Invalid admin password');
}
