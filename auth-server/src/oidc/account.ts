import type { OidcConfig } from '../config';
import { nameField, usernameField } from '../users/fields';
import type { Claims } from './id-token';

/** What a provider's claims say about a user, in pacsgate's terms. */
export interface OidcAccount {
  issuer: string;
  subject: string;
  /** Usable usernames in order of preference: each passed usernameField (it becomes the X-Auth-Request-User header). */
  usernames: string[];
  /** The display name, when the claims hold a valid one. */
  name?: string;
  canEditResource: boolean;
}

type GroupRule = Pick<OidcConfig, 'editorGroups' | 'groupsClaim'>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** The ID token lacks something UserInfo may have: the groups claim, or any username. */
export function needsUserinfo(idClaims: Claims, groupsClaim: string): boolean {
  return !(groupsClaim in idClaims) || (!text(idClaims.preferred_username) && !text(idClaims.email));
}

/** Providers send groups as a list, or as one string for a single group. */
function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((group): group is string => typeof group === 'string') : [];
}

function displayName(claims: Claims): string | undefined {
  const full = text(claims.name) ?? text([claims.given_name, claims.family_name].filter((part) => typeof part === 'string').join(' '));
  const parsed = nameField.safeParse(full?.slice(0, 200));
  return parsed.success ? parsed.data : undefined;
}

export function accountFromClaims(claims: Claims, rule: GroupRule): OidcAccount {
  const groups = groupsOf(claims[rule.groupsClaim]);
  const candidates = [text(claims.preferred_username), text(claims.email)];
  return {
    issuer: String(claims.iss),
    subject: String(claims.sub),
    usernames: [...new Set(candidates.filter((candidate) => usernameField.safeParse(candidate).success) as string[])],
    name: displayName(claims),
    canEditResource: rule.editorGroups.some((group) => groups.includes(group)),
  };
}
