/**
 * The narrow persistence interface the domain uses. Every call is asynchronous so that a networked
 * database (PostgreSQL, pg-store.ts) fits the same shape as SQLite (sqlite-store.ts).
 */

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
  findById(id: number): Promise<UserRecord | undefined>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  findByOidcIdentity(issuer: string, subject: string): Promise<UserRecord | undefined>;
  /** Creates the user, or replaces the fields of the user with the same username. */
  upsert(fields: UserFields, now: number): Promise<UserRecord>;
  /**
   * Creates the user only if neither its username nor its OIDC identity is taken; undefined otherwise.
   * Atomic across replicas: two first sign-ins racing for one free username cannot both get it.
   */
  createIfFree(fields: UserFields, now: number): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  remove(userId: number): Promise<void>;
}

export interface TokenRepository {
  recordIssued(token: IssuedToken, now: number): Promise<void>;
  /** Marks an unspent, unexpired, unrevoked token as spent; atomic across processes and replicas. */
  spend(jti: string, kind: IssuedTokenKind, now: number): Promise<SpendOutcome>;
  find(jti: string): Promise<(IssuedToken & { spentAt: number | null; revokedAt: number | null }) | undefined>;
  revokeIssued(jti: string, now: number): Promise<void>;
  /** Revokes the user's auth tokens that were never spent; returns how many. */
  revokeUnspentAuthTokens(userId: number, now: number): Promise<number>;
  createFamily(family: TokenFamily, now: number): Promise<void>;
  extendFamily(familyId: string, expiresAt: number): Promise<void>;
  findFamily(familyId: string): Promise<(TokenFamily & { revokedAt: number | null }) | undefined>;
  activeFamilies(userId: number, now: number): Promise<ListedFamily[]>;
  /** Revokes the family and records it for the in-memory revocation list; false when it was already revoked. */
  revokeFamily(familyId: string, now: number, keepUntil: number): Promise<boolean>;
  revocationsSince(seq: number, now: number): Promise<Revocation[]>;
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
  create(link: NewShareLink, now: number): Promise<ShareLinkRecord>;
  find(id: string): Promise<ShareLinkRecord | undefined>;
  /** Newest first. */
  list(): Promise<ShareLinkRecord[]>;
  recordUse(id: string, now: number): Promise<void>;
  /** Counts a wrong PIN and locks the link when the count reaches `lockAt`; atomic across processes. */
  recordPinFailure(id: string, lockAt: number): Promise<Pick<ShareLinkRecord, 'failedPins' | 'locked'>>;
  /** Unlocks and forgets the wrong PINs; false when the link does not exist. */
  unlock(id: string): Promise<boolean>;
  /** Revokes the link and records its id for the in-memory revocation list; false when already revoked or unknown. */
  revoke(id: string, now: number): Promise<boolean>;
}

/** The repositories; inside `Store.transaction` they are bound to that transaction. */
export interface Repositories {
  users: UserRepository;
  tokens: TokenRepository;
  shareLinks: ShareLinkRepository;
}

/** How busy the database connections are, for /metrics (SQLite: one connection, never waiting). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Store extends Repositories {
  /**
   * Runs `work` atomically (all or nothing, isolated from concurrent callers); `work` must use the
   * repositories it is given, not the store's own, for its reads and writes to be part of it.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query; for /readyz. */
  ping(): Promise<void>;
  poolStats(): PoolStats;
  /**
   * Calls `onChange` soon after any process revokes a token family or share link (PostgreSQL:
   * LISTEN/NOTIFY, reconnecting after a lost connection); SQLite never calls it (polling covers it).
   * Returns a function that stops watching.
   */
  watchRevocations(onChange: () => void, onError: (error: unknown) => void): () => void;
  close(): Promise<void>;
}
