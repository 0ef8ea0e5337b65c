import { BadRequest } from '../errors';
import type { Store, UserRecord } from '../store/store';
import type { PasswordHasher } from './passwords';

export interface UserDetails {
  name: string;
  username: string;
  canEditResource: boolean;
  /** A new sign-in password; when absent an existing user keeps theirs. */
  userPassword?: string;
}

/**
 * The admin's create-or-update with the original server's rules: `createUserIfNotExists` true
 * creates or overwrites; false only reports whether the user exists (the page asks to confirm).
 */
export async function saveUserForToken(store: Store, hasher: PasswordHasher, details: UserDetails, createUserIfNotExists: boolean, now: number): Promise<UserRecord> {
  const existing = store.users.findByUsername(details.username);
  if (!createUserIfNotExists) throw new BadRequest(existing ? 'User already exists' : "User doesn't exists");
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
  const user = store.users.findByUsername(username);
  return (await hasher.matches(password, user?.passwordHash)) ? user : undefined;
}
