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
    const username = existing?.username ?? (await freeUsername(tx.users, account, providerName));
    return tx.users.upsert(
      {
        username,
        name: account.name ?? existing?.name ?? username,
        canEditResource: account.canEditResource,
        passwordHash: existing?.passwordHash ?? null,
        oidcIssuer: account.issuer,
        oidcSubject: account.subject,
      },
      now,
    );
  });
}

async function freeUsername(users: UserRepository, account: OidcAccount, providerName: string): Promise<string> {
  if (account.usernames.length === 0) {
    throw new AccountNotUsable(
      `Your ${providerName} account has no username pacsgate can use: its preferred_username and email are missing or hold characters other than letters, digits and . _ @ + -. Ask your administrator.`,
    );
  }
  let free: string | undefined;
  for (const username of account.usernames) {
    if (!(await users.findByUsername(username))) {
      free = username;
      break;
    }
  }
  if (!free) {
    throw new AccountNotUsable(
      `The username ${account.usernames[0]} already belongs to another pacsgate account, so your ${providerName} account cannot use it. Ask your administrator.`,
    );
  }
  return free;
}
