import type { Store, UserRecord } from '../store/store';
import type { PasswordHasher } from './passwords';

export interface UserDetails {
  name: string;
  username: string;
  canEditResource: boolean;
  /** A new sign-in password; when absent an existing user keeps theirs. */
  userPassword?: string;
}

/** The admin's create-or-overwrite of a user before issuing a token; the OIDC link is kept. */
export async function saveUser(store: Store, hasher: PasswordHasher, details: UserDetails, now: number): Promise<UserRecord> {
  const existing = await store.users.findByUsername(details.username);
  const passwordHash = details.userPassword ? await hasher.hash(details.userPassword) : (existing?.passwordHash ?? null);
  return store.users.upsert(
    {
      username: details.username,
      name: details.name,
      canEditResource: details.canEditResource,
      passwordHash,
      oidcIssuer: existing?.oidcIssuer ?? null,
      oidcSubject: existing?.oidcSubject ?? null,
    },
    now,
  );
}

/** The user when the password matches; the same work is done for unknown users. */
export async function authenticateUser(store: Store, hasher: PasswordHasher, username: string, password: string): Promise<UserRecord | undefined> {
  const user = await store.users.findByUsername(username);
  return (await hasher.matches(password, user?.passwordHash)) ? user : undefined;
}
