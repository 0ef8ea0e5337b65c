import type { Store, UserRecord, UserRepository } from '../store/store';
import type { OidcAccount } from './account';
import { AccountNotUsable } from './errors';

/**
 * Creates or updates the user behind a provider identity (issuer + subject). A known identity keeps its
 * username; its name and edit right follow the provider at every sign-in. A new one takes the first
 * free username: an existing pacsgate account is never taken over because a provider claims its name.
 */
export async function saveOidcUser(store: Store, account: OidcAccount, providerName: string, now: number): Promise<UserRecord> {
  return store.transaction(async (tx) => {
    const existing = await tx.users.findByOidcIdentity(account.issuer, account.subject);
    if (!existing) return createForIdentity(tx.users, account, providerName, now);
    const { id: _id, ...fields } = existing;
    return tx.users.upsert({ ...fields, name: account.name ?? existing.name, canEditResource: account.canEditResource }, now);
  });
}

/**
 * The identity's first sign-in: the first of its usernames that is free. Each is claimed by an insert
 * that does nothing when the name is taken, so two replicas racing for one name cannot both get it.
 */
async function createForIdentity(users: UserRepository, account: OidcAccount, providerName: string, now: number): Promise<UserRecord> {
  if (account.usernames.length === 0) {
    throw new AccountNotUsable(
      `Your ${providerName} account has no username pacsgate can use: its preferred_username and email are missing or hold characters other than letters, digits and . _ @ + -. Ask your administrator.`,
    );
  }
  for (const username of account.usernames) {
    const fields = { username, name: account.name ?? username, canEditResource: account.canEditResource, passwordHash: null, oidcIssuer: account.issuer, oidcSubject: account.subject };
    const created = await users.createIfFree(fields, now);
    if (created) return created;
  }
  // The same identity's first sign-in may have just been saved by another replica.
  const savedMeanwhile = await users.findByOidcIdentity(account.issuer, account.subject);
  if (savedMeanwhile) return savedMeanwhile;
  throw new AccountNotUsable(
    `The username ${account.usernames[0]} already belongs to another pacsgate account, so your ${providerName} account cannot use it. Ask your administrator.`,
  );
}
