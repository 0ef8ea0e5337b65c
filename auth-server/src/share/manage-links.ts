import type { Actor } from '../audit/events';
import type { ShareLinkRecord } from '../store/store';
import { revokeFamily, type RevocationContext } from '../tokens/revoke';
import { isoTime } from './create-link';

/** A link as admins see it listed: never its token nor its PIN hash. */
export interface ListedLink {
  id: string;
  label: string | null;
  studies: string[];
  canEditResource: boolean;
  pin: boolean;
  locked: boolean;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  uses: number;
  lastUsedAt: string | null;
  revoked: boolean;
}

export const listedLink = (link: ShareLinkRecord): ListedLink => ({
  id: link.id,
  label: link.label,
  studies: link.studies,
  canEditResource: link.canEditResource,
  pin: link.pinHash !== null,
  locked: link.locked,
  createdBy: link.createdBy,
  createdAt: isoTime(link.createdAt),
  expiresAt: isoTime(link.expiresAt),
  uses: link.uses,
  lastUsedAt: link.lastUsedAt === null ? null : isoTime(link.lastUsedAt),
  revoked: link.revokedAt !== null,
});

/** What an admin needs to know first about a link. */
export const linkState = (link: Pick<ShareLinkRecord, 'revokedAt' | 'locked'>): 'revoked' | 'locked' | 'active' => (link.revokedAt !== null ? 'revoked' : link.locked ? 'locked' : 'active');

/** Revokes a link and every browser that opened it; false when there is no such link. */
export async function revokeShareLink(ctx: RevocationContext, id: string, actor: Actor): Promise<boolean> {
  if (!(await ctx.store.shareLinks.find(id))) return false;
  await revokeFamily(ctx, id, 'admin');
  ctx.audit.record({ event: 'admin.action', action: 'revoke-share', id, ...actor });
  return true;
}

/** Lets a link locked by wrong PINs be tried again; false when there is no such link. */
export async function unlockShareLink(ctx: Pick<RevocationContext, 'store' | 'audit'>, id: string, actor: Actor): Promise<boolean> {
  if (!(await ctx.store.shareLinks.unlock(id))) return false;
  ctx.audit.record({ event: 'share.unlocked', id, ...actor });
  return true;
}
