import type { UserRecord } from '../store/store';
import { revokeUserTokens, type RevocationContext } from '../tokens/revoke';

/**
 * Revokes every token of the user, then deletes them. In that order: the revocations outlive the
 * user's rows, and a crash in between leaves a user without tokens rather than tokens without a user.
 */
export async function deleteUser(ctx: RevocationContext, user: UserRecord): Promise<number> {
  const revoked = await revokeUserTokens(ctx, user.id, 'user-deleted');
  await ctx.store.users.remove(user.id);
  return revoked;
}
