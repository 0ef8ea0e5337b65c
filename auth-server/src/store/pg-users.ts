import type { PgSession } from './pg-session';
import type { UserFields, UserRecord, UserRepository } from './store';

interface UserRow {
  id: number;
  username: string;
  name: string;
  password_hash: string | null;
  can_edit: boolean;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  name: row.name,
  passwordHash: row.password_hash,
  canEditResource: row.can_edit,
  oidcIssuer: row.oidc_issuer,
  oidcSubject: row.oidc_subject,
});

export function pgUsers(db: PgSession): UserRepository {
  const one = async (sql: string, params: unknown[]): Promise<UserRecord | undefined> => {
    const [row] = (await db.query<UserRow>(sql, params)).rows;
    return row && toUser(row);
  };
  return {
    findById: (id) => one('SELECT * FROM users WHERE id = $1', [id]),
    findByUsername: (username) => one('SELECT * FROM users WHERE username = $1', [username]),
    findByOidcIdentity: (issuer, subject) => one('SELECT * FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2', [issuer, subject]),
    upsert: async (fields: UserFields, now) =>
      (await one(
        `INSERT INTO users (username, name, password_hash, can_edit, oidc_issuer, oidc_subject, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (username) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
           can_edit = excluded.can_edit, oidc_issuer = excluded.oidc_issuer, oidc_subject = excluded.oidc_subject,
           updated_at = excluded.updated_at
         RETURNING *`,
        [fields.username, fields.name, fields.passwordHash, fields.canEditResource, fields.oidcIssuer, fields.oidcSubject, now],
      )) as UserRecord,
    createIfFree: (fields: UserFields, now) =>
      one(
        `INSERT INTO users (username, name, password_hash, can_edit, oidc_issuer, oidc_subject, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT DO NOTHING
         RETURNING *`,
        [fields.username, fields.name, fields.passwordHash, fields.canEditResource, fields.oidcIssuer, fields.oidcSubject, now],
      ),
    list: async () => (await db.query<UserRow>('SELECT * FROM users ORDER BY username')).rows.map(toUser),
    remove: async (userId) => void (await db.query('DELETE FROM users WHERE id = $1', [userId])),
  };
}
