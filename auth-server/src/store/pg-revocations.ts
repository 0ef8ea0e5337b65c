import type { PgSession } from './pg-session';

/** The NOTIFY channel every replica LISTENs on (pg-revocation-watch.ts). */
export const REVOCATIONS_CHANNEL = 'pacsgate_revocations';

const REVOCATIONS_LOCK = [0x70616373, 2] as const;

/**
 * Taken first by every revocation, before any row lock (so two revocations cannot deadlock): it
 * makes `seq` values commit in order, so a replica reading `seq > last` never skips one committed late.
 */
export const lockRevocations = (db: PgSession) => db.query('SELECT pg_advisory_xact_lock($1, $2)', [...REVOCATIONS_LOCK]);

/** Records a revoked family or share link for the revocation list and tells the other replicas, on commit. */
export async function recordRevocation(db: PgSession, id: string, now: number, keepUntil: number): Promise<void> {
  await db.query('INSERT INTO revocations (family_id, revoked_at, keep_until) VALUES ($1, $2, $3)', [id, now, keepUntil]);
  await db.query('SELECT pg_notify($1, $2)', [REVOCATIONS_CHANNEL, '']);
}
