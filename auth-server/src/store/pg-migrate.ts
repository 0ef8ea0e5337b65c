import type { Pool } from 'pg';
import { MIGRATIONS } from './migrations';
import { inTransaction } from './pg-session';

/** pg_advisory_xact_lock's key: replicas starting at once take turns, the later ones finding the schema done. */
const MIGRATION_LOCK = [0x70616373, 1] as const;

/** Applies the PostgreSQL migrations not yet applied, all in one transaction under an advisory lock. */
export async function migratePostgres(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
    // Read committed: each statement after the lock sees what a replica that held it before committed.
    // No DDL once the schema is there (not even IF NOT EXISTS, which checks CREATE rights): the user may lack them.
    const [{ made }] = (await client.query<{ made: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS made")).rows;
    if (!made) await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.postgres);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [migration.version, Math.floor(Date.now() / 1000)]);
    }
  });
}
