import type { Request } from 'express';
import type { Actor, AdminAction } from '../audit/events';
import { BadRequest } from '../errors';
import type { AdminDeps } from './deps';

export const webActor = (req: Request, via: 'page' | 'api'): Actor => ({ via, ip: req.ip });

type PasswordDeps = Pick<AdminDeps, 'hasher' | 'config' | 'tokens'>;

/** Whether `password` is the admin password; a wrong one is audited. */
export async function adminPasswordMatches(deps: PasswordDeps, password: string, action: AdminAction, actor: Actor): Promise<boolean> {
  if (await deps.hasher.matches(password, deps.config.adminPasswordHash)) return true;
  deps.tokens.audit.record({ event: 'admin.refused', action, reason: 'wrong-admin-password', ...actor });
  return false;
}

/** Checks the admin password for `action`; a wrong one is audited, then refused with the contract's message. */
export async function checkAdminPassword(deps: PasswordDeps, password: string, action: AdminAction, actor: Actor): Promise<void> {
  if (!(await adminPasswordMatches(deps, password, action, actor))) throw new BadRequest('Invalid admin password');
}
