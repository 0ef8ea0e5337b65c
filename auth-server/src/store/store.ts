/** The narrow persistence interface the domain uses; SQLite implements it in sqlite-store.ts. */

export interface UserRecord {
  id: number;
  username: string;
  name: string;
  passwordHash: string | null;
  canEditResource: boolean;
  oidcIssuer: string | null;
  oidcSubject: string | null;
}

export type UserFields = Omit<UserRecord, 'id'>;

export type IssuedTokenKind = 'auth' | 'refresh';

export interface IssuedToken {
  jti: string;
  kind: IssuedTokenKind;
  userId: number;
  familyId: string | null;
  expiresAt: number;
}

export interface TokenFamily {
  id: string;
  userId: number;
  audience: string | null;
  expiresAt: number;
}

/** A family as an admin sees it listed: when it was opened too. */
export interface ListedFamily extends TokenFamily {
  createdAt: number;
}

/** What spending a one-off token found: spent now, spent or revoked before, or never issued/expired. */
export type SpendOutcome = 'spent' | 'reused' | 'unknown';

export interface Revocation {
  seq: number;
  familyId: string;
  /** Seconds since the epoch after which no token of the family can still be valid. */
  keepUntil: number;
}

export interface UserRepository {
  findById(id: number): UserRecord | undefined;
  findByUsername(username: string): UserRecord | undefined;
  findByOidcIdentity(issuer: string, subject: string): UserRecord | undefined;
  /** Creates the user, or replaces the fields of the user with the same username. */
  upsert(fields: UserFields, now: number): UserRecord;
  list(): UserRecord[];
  remove(userId: number): void;
}

export interface TokenRepository {
  recordIssued(token: IssuedToken, now: number): void;
  /** Marks an unspent, unexpired, unrevoked token as spent; atomic across processes. */
  spend(jti: string, kind: IssuedTokenKind, now: number): SpendOutcome;
  find(jti: string): (IssuedToken & { spentAt: number | null; revokedAt: number | null }) | undefined;
  revokeIssued(jti: string, now: number): void;
  /** Revokes the user's auth tokens that were never spent; returns how many. */
  revokeUnspentAuthTokens(userId: number, now: number): number;
  createFamily(family: TokenFamily, now: number): void;
  extendFamily(familyId: string, expiresAt: number): void;
  findFamily(familyId: string): (TokenFamily & { revokedAt: number | null }) | undefined;
  activeFamilies(userId: number, now: number): ListedFamily[];
  /** Revokes the family and records it for the in-memory revocation list; false when it was already revoked. */
  revokeFamily(familyId: string, now: number, keepUntil: number): boolean;
  revocationsSince(seq: number, now: number): Revocation[];
}

/** A share link as stored: never its token, and its PIN only as a bcrypt hash. */
export interface ShareLinkRecord {
  id: string;
  label: string | null;
  /** StudyInstanceUIDs, in the order given. */
  studies: string[];
  canEditResource: boolean;
  pinHash: string | null;
  failedPins: number;
  locked: boolean;
  /** `admin`, or the username of the editor who shared. */
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  uses: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export type NewShareLink = Pick<ShareLinkRecord, 'id' | 'label' | 'studies' | 'canEditResource' | 'pinHash' | 'createdBy' | 'expiresAt'>;

export interface ShareLinkRepository {
  create(link: NewShareLink, now: number): ShareLinkRecord;
  find(id: string): ShareLinkRecord | undefined;
  /** Newest first. */
  list(): ShareLinkRecord[];
  recordUse(id: string, now: number): void;
  /** Counts a wrong PIN and locks the link when the count reaches `lockAt`; atomic across processes. */
  recordPinFailure(id: string, lockAt: number): Pick<ShareLinkRecord, 'failedPins' | 'locked'>;
  /** Unlocks and forgets the wrong PINs; false when the link does not exist. */
  unlock(id: string): boolean;
  /** Revokes the link and records its id for the in-memory revocation list; false when already revoked or unknown. */
  revoke(id: string, now: number): boolean;
}

export interface Store {
  users: UserRepository;
  tokens: TokenRepository;
  shareLinks: ShareLinkRepository;
  transaction<T>(work: () => T): T;
  close(): void;
}
