import type { TestPostgres } from '../scripts/stack/postgres';

/**
 * A backend publishes its counts at most once a second while busy, and within a second of going idle
 * (PostgreSQL 15's cumulative statistics): wait this long after the load before the last read.
 */
export const STATS_PUBLISHED_WITHIN_MS = 1100;

/**
 * Transactions committed or rolled back so far in `database` by every backend connected to it
 * (pg_stat_database): a statement outside BEGIN is a transaction of its own. Read over a new
 * connection to another database, so the reading is neither counted nor answered from a stats snapshot.
 */
export async function transactionsIn(postgres: TestPostgres, database: string): Promise<number> {
  const rows = await postgres.query<{ count: string }>('SELECT xact_commit + xact_rollback AS count FROM pg_stat_database WHERE datname = $1', [database], 'postgres');
  if (rows.length !== 1) throw new Error(`pg_stat_database has no row for ${database}`);
  return Number(rows[0].count);
}
