import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { writePrivateFile } from '../secrets/secret-file';
import { MIGRATIONS } from './migrations';
import { OneConnectionLock, type OpenTransaction, settle, StoreMisuse } from './one-connection-lock';
import { sqliteShareLinks } from './sqlite-share-links';
import { StoreError } from './store-error';
import type { IssuedToken, IssuedTokenKind, Repositories, Revocation, SpendOutcome, Store, TokenFamily, UserFields, UserRecord } from './store';

/** A repository interface as better-sqlite3 answers it: the same methods, returning at once. */
export type Synchronous<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never };

type SyncRepositories = { [K in keyof Repositories]: Synchronous<Repositories[K]> };

interface UserRow {
  id: number;
  username: string;
  name: string;
  password_hash: string | null;
  can_edit: number;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

const toUser = (row: UserRow | undefined): UserRecord | undefined =>
  row && {
    id: row.id,
    username: row.username,
    name: row.name,
    passwordHash: row.password_hash,
    canEditResource: row.can_edit === 1,
    oidcIssuer: row.oidc_issuer,
    oidcSubject: row.oidc_subject,
  };

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, Math.floor(Date.now() / 1000));
    }).immediate();
  }
}

function openDatabase(path: string): Database.Database {
  try {
    // Created 0600 up front: SQLite gives its -wal and -shm files the database file's mode.
    if (path !== ':memory:' && !existsSync(path)) writePrivateFile(path, '');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    // SQLite's own message does not name the file.
    throw new StoreError(`database ${path}: ${(error as Error).message}`);
  }
}

function sqliteRepositories(db: Database.Database): SyncRepositories {
  const q = {
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    userByName: db.prepare('SELECT * FROM users WHERE username = ?'),
    userByOidc: db.prepare('SELECT * FROM users WHERE oidc_issuer = ? AND oidc_subject = ?'),
    upsertUser: db.prepare(`
      INSERT INTO users (username, name, password_hash, can_edit, oidc_issuer, oidc_subject, created_at, updated_at)
      VALUES (@username, @name, @passwordHash, @canEdit, @oidcIssuer, @oidcSubject, @now, @now)
      ON CONFLICT (username) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
        can_edit = excluded.can_edit, oidc_issuer = excluded.oidc_issuer, oidc_subject = excluded.oidc_subject,
        updated_at = excluded.updated_at
      RETURNING *`),
    createUserIfFree: db.prepare(`
      INSERT INTO users (username, name, password_hash, can_edit, oidc_issuer, oidc_subject, created_at, updated_at)
      VALUES (@username, @name, @passwordHash, @canEdit, @oidcIssuer, @oidcSubject, @now, @now)
      ON CONFLICT DO NOTHING
      RETURNING *`),
    listUsers: db.prepare('SELECT * FROM users ORDER BY username'),
    removeUser: db.prepare('DELETE FROM users WHERE id = ?'),
    recordIssued: db.prepare(`
      INSERT INTO issued_tokens (jti, kind, user_id, family_id, issued_at, expires_at)
      VALUES (@jti, @kind, @userId, @familyId, @now, @expiresAt)`),
    spend: db.prepare(`
      UPDATE issued_tokens SET spent_at = @now
      WHERE jti = @jti AND kind = @kind AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > @now`),
    findIssued: db.prepare('SELECT * FROM issued_tokens WHERE jti = ?'),
    revokeIssued: db.prepare('UPDATE issued_tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL'),
    revokeUnspentAuth: db.prepare(`
      UPDATE issued_tokens SET revoked_at = ? WHERE user_id = ? AND kind = 'auth' AND spent_at IS NULL AND revoked_at IS NULL`),
    createFamily: db.prepare(`
      INSERT INTO token_families (id, user_id, audience, created_at, expires_at)
      VALUES (@id, @userId, @audience, @now, @expiresAt)`),
    extendFamily: db.prepare('UPDATE token_families SET expires_at = MAX(expires_at, ?) WHERE id = ?'),
    findFamily: db.prepare('SELECT * FROM token_families WHERE id = ?'),
    activeFamilies: db.prepare(`
      SELECT * FROM token_families WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at`),
    revokeFamily: db.prepare('UPDATE token_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    insertRevocation: db.prepare('INSERT INTO revocations (family_id, revoked_at, keep_until) VALUES (?, ?, ?)'),
    revocationsSince: db.prepare('SELECT seq, family_id, keep_until FROM revocations WHERE seq > ? AND keep_until > ? ORDER BY seq'),
  };

  interface IssuedRow { jti: string; kind: IssuedTokenKind; user_id: number; family_id: string | null; expires_at: number; spent_at: number | null; revoked_at: number | null }
  interface FamilyRow { id: string; user_id: number; audience: string | null; created_at: number; expires_at: number; revoked_at: number | null }
  const toFamily = (row: FamilyRow) => ({ id: row.id, userId: row.user_id, audience: row.audience, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at });

  const spendInTransaction = db.transaction((jti: string, kind: IssuedTokenKind, now: number): SpendOutcome => {
    if (q.spend.run({ jti, kind, now }).changes === 1) return 'spent';
    const row = q.findIssued.get(jti) as IssuedRow | undefined;
    return row && row.kind === kind && (row.spent_at !== null || row.revoked_at !== null) ? 'reused' : 'unknown';
  });

  const revokeFamilyInTransaction = db.transaction((familyId: string, now: number, keepUntil: number): boolean => {
    if (q.revokeFamily.run(now, familyId).changes === 0) return false;
    q.insertRevocation.run(familyId, now, keepUntil);
    return true;
  });

  return {
    users: {
      findById: (id) => toUser(q.userById.get(id) as UserRow | undefined),
      findByUsername: (username) => toUser(q.userByName.get(username) as UserRow | undefined),
      findByOidcIdentity: (issuer, subject) => toUser(q.userByOidc.get(issuer, subject) as UserRow | undefined),
      upsert: (fields: UserFields, now) =>
        toUser(q.upsertUser.get({ ...fields, canEdit: fields.canEditResource ? 1 : 0, now }) as UserRow) as UserRecord,
      createIfFree: (fields: UserFields, now) => toUser(q.createUserIfFree.get({ ...fields, canEdit: fields.canEditResource ? 1 : 0, now }) as UserRow | undefined),
      list: () => (q.listUsers.all() as UserRow[]).map((row) => toUser(row) as UserRecord),
      remove: (userId) => void q.removeUser.run(userId),
    },
    tokens: {
      recordIssued: (token: IssuedToken, now) => void q.recordIssued.run({ ...token, now }),
      spend: (jti, kind, now) => spendInTransaction.immediate(jti, kind, now),
      find: (jti) => {
        const row = q.findIssued.get(jti) as IssuedRow | undefined;
        return row && { jti: row.jti, kind: row.kind, userId: row.user_id, familyId: row.family_id, expiresAt: row.expires_at, spentAt: row.spent_at, revokedAt: row.revoked_at };
      },
      revokeIssued: (jti, now) => void q.revokeIssued.run(now, jti),
      revokeUnspentAuthTokens: (userId, now) => q.revokeUnspentAuth.run(now, userId).changes,
      createFamily: (family: TokenFamily, now) => void q.createFamily.run({ ...family, now }),
      extendFamily: (familyId, expiresAt) => void q.extendFamily.run(expiresAt, familyId),
      findFamily: (familyId) => {
        const row = q.findFamily.get(familyId) as FamilyRow | undefined;
        return row && toFamily(row);
      },
      activeFamilies: (userId, now) => (q.activeFamilies.all(userId, now) as FamilyRow[]).map(toFamily),
      revokeFamily: (familyId, now, keepUntil) => revokeFamilyInTransaction.immediate(familyId, now, keepUntil),
      revocationsSince: (seq, now) =>
        (q.revocationsSince.all(seq, now) as Array<{ seq: number; family_id: string; keep_until: number }>).map(
          (row): Revocation => ({ seq: row.seq, familyId: row.family_id, keepUntil: row.keep_until }),
        ),
    },
    shareLinks: sqliteShareLinks(db),
  };
}

/** Each method of `sync`, answering through `run`. */
function answeringThrough<T>(sync: Synchronous<T>, run: <R>(call: () => R) => Promise<R>): T {
  const methods = Object.entries(sync as Record<string, (...args: unknown[]) => unknown>);
  return Object.fromEntries(methods.map(([name, method]) => [name, (...args: unknown[]) => run(() => method(...args))])) as T;
}

function repositoriesThrough(sync: SyncRepositories, run: <R>(call: () => R) => Promise<R>): Repositories {
  return { users: answeringThrough(sync.users, run), tokens: answeringThrough(sync.tokens, run), shareLinks: answeringThrough(sync.shareLinks, run) };
}

/**
 * Opens (creating and migrating) the SQLite database at `path`; `:memory:` works for tests.
 * One connection, synchronous underneath; OneConnectionLock keeps a transaction's statements together.
 */
export function openSqliteStore(path: string): Store {
  const db = openDatabase(path);
  const sync = sqliteRepositories(db);
  const lock = new OneConnectionLock();
  const ping = db.prepare('SELECT 1');

  // Bound to one transaction: a `tx` kept past its end fails instead of writing outside it.
  const transactionRepositories = (tx: OpenTransaction) =>
    repositoriesThrough(sync, (call) => (tx.open ? settle(call) : Promise.reject(new StoreMisuse('transaction repositories used after the transaction ended'))));

  return {
    ...repositoriesThrough(sync, (call) => lock.run(call)),
    transaction: <T>(work: (tx: Repositories) => Promise<T>): Promise<T> => {
      const tx: OpenTransaction = { open: true };
      return lock.transaction(tx, async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(transactionRepositories(tx));
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          tx.open = false;
        }
      });
    },
    ping: () => lock.run(() => void ping.get()),
    poolStats: () => ({ total: 1, idle: lock.busy ? 0 : 1, waiting: lock.waiting }),
    // Another process's revocations reach this one by RevocationList's polling.
    watchRevocations: () => () => {},
    close: async () => {
      await lock.drained();
      db.close();
    },
  };
}
