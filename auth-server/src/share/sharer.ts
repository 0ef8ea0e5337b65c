import type { Request, Response } from 'express';
import { adminPasswordMatches, webActor } from '../admin/admin-password';
import type { AdminDeps } from '../admin/deps';
import type { Actor } from '../audit/events';
import { epochSeconds } from '../clock';
import { Forbidden, Unauthorized } from '../errors';
import { authorizationToken } from '../http/presented-token';
import { scopeCovers } from './rules';

export interface Sharer {
  createdBy: string;
  actor: Actor;
}

export const ADMIN_SHARER = 'admin';

/**
 * Who makes a link: the admin (password in the body), or an editor by their access token, for
 * studies within their own scope. A token minted from a share link never shares again: its link's
 * expiry and revocation would not bind the new link.
 */
export async function authorizeSharer(deps: Pick<AdminDeps, 'hasher' | 'config' | 'services'>, req: Request, res: Response, password: string | undefined, studies: string[]): Promise<Sharer> {
  const actor = webActor(req, 'api');
  if (password !== undefined) {
    if (!(await adminPasswordMatches(deps, password, 'create-share', actor, res))) throw new Unauthorized('Invalid admin password');
    return { createdBy: ADMIN_SHARER, actor };
  }
  const token = authorizationToken(req.get('authorization'));
  if (!token) throw new Unauthorized('Give the admin password, or an access token of a user who can edit');
  const { codec, clock, revocations } = deps.services;
  const decoded = codec.decode(token, 'access', epochSeconds(clock));
  if (!decoded.ok || revocations.has(decoded.claims.fam)) throw new Unauthorized('Invalid Token');
  const { claims } = decoded;
  if (claims.sub.startsWith('share:')) throw new Forbidden('A share link cannot make another share link');
  if (!claims.canEditResource) throw new Forbidden('Only users who can edit may share');
  if (!scopeCovers(claims.scope, studies)) throw new Forbidden('You can share only studies you can open');
  return { createdBy: claims.username, actor };
}
