/** Numbered schema migrations; each runs once, in order, inside a transaction. Never edit a released one. */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT,
        can_edit INTEGER NOT NULL DEFAULT 0,
        oidc_issuer TEXT,
        oidc_subject TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (oidc_issuer, oidc_subject)
      );
      CREATE TABLE token_families (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        audience TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX token_families_user ON token_families(user_id);
      CREATE TABLE issued_tokens (
        jti TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('auth', 'refresh')),
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        family_id TEXT REFERENCES token_families(id) ON DELETE CASCADE,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        spent_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX issued_tokens_family ON issued_tokens(family_id);
      CREATE TABLE revocations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        family_id TEXT NOT NULL,
        revoked_at INTEGER NOT NULL,
        keep_until INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE share_links (
        id TEXT PRIMARY KEY,
        label TEXT,
        studies TEXT NOT NULL,
        can_edit INTEGER NOT NULL DEFAULT 0,
        pin_hash TEXT,
        failed_pins INTEGER NOT NULL DEFAULT 0,
        locked INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        uses INTEGER NOT NULL DEFAULT 0,
        last_used_at INTEGER,
        revoked_at INTEGER
      );
    `,
  },
];
