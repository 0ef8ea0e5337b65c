import type { Request } from 'express';
import type { Actor, AdminAction } from '../audit/events';
import { BadRequest } from '../errors';
import type { AdminDeps } from './deps';

export const webActor = (req: Request, via: 'page' | 'api'): Actor => ({ via, ip: req.ip });

/** Checks the admin password for `action`; a wrong one is audited, then refused with the contract's message. */
export async function checkAdminPassword(deps: Pick<AdminDeps, 'hasher' | 'config' | 'tokens'>, password: string, action: AdminAction, actor: Actor): Promise<void> {
  if (await deps.hasher.matches(password, deps.config.adminPasswordHash)) return;
  deps.tokens.audit.record({ event: 'admin.refused', action, reason: 'wrong-admin-password', ...actor });
  throw new BadRequest('Invalid admin password');
}
