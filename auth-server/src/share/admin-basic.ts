import type { Request, Response } from 'express';
import { adminPasswordMatches, webActor } from '../admin/admin-password';
import type { AdminDeps } from '../admin/deps';
import type { Actor, AdminAction } from '../audit/events';
import { HttpError } from '../errors';

const ADMIN_USER = 'admin';

const challenge = () => new HttpError(401, 'Give the admin password as Authorization: Basic admin:<password>', { 'WWW-Authenticate': 'Basic realm="pacsgate", charset="UTF-8"' });

/** The password of `Authorization: Basic admin:<password>`, or undefined for any other header. */
export function basicAdminPassword(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(0, colon) === ADMIN_USER ? decoded.slice(colon + 1) : undefined;
}

/** The admin API's own check: Basic `admin:<password>`; anything else is a 401 with a challenge. */
export async function requireAdminBasic(deps: Pick<AdminDeps, 'hasher' | 'config' | 'services'>, req: Request, res: Response, action: AdminAction): Promise<Actor> {
  const actor = webActor(req, 'api');
  const password = basicAdminPassword(req.get('authorization'));
  if (password === undefined || Buffer.byteLength(password) > 72) throw challenge();
  if (!(await adminPasswordMatches(deps, password, action, actor, res))) throw challenge();
  return actor;
}
