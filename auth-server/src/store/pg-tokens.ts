import { lockRevocations, recordRevocation } from './pg-revocations';
import type { PgSession } from './pg-session';
import type { IssuedTokenKind, ListedFamily, Revocation, TokenFamily, TokenRepository } from './store';

interface IssuedRow { jti: string; kind: IssuedTokenKind; user_id: number; family_id: string | null; expires_at: number; spent_at: number | null; revoked_at: number | null }
interface FamilyRow { id: string; user_id: number; audience: string | null; created_at: number; expires_at: number; revoked_at: number | null }

const toFamily = (row: FamilyRow): ListedFamily & { revokedAt: number | null } =>
  ({ id: row.id, userId: row.user_id, audience: row.audience, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at });

export function pgTokens(db: PgSession): TokenRepository {
  const findIssued = async (jti: string) => (await db.query<IssuedRow>('SELECT * FROM issued_tokens WHERE jti = $1', [jti])).rows[0];
  return {
    recordIssued: async (token, now) =>
      void (await db.query(
        'INSERT INTO issued_tokens (jti, kind, user_id, family_id, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [token.jti, token.kind, token.userId, token.familyId, now, token.expiresAt],
      )),
    spend: async (jti, kind, now) => {
      // Of concurrent UPDATEs of one row, the later ones wait for the first to commit and then find it spent:
      // exactly one 'spent' whichever replica each comes from.
      const spent = await db.query(
        'UPDATE issued_tokens SET spent_at = $3 WHERE jti = $1 AND kind = $2 AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > $3',
        [jti, kind, now],
      );
      if (spent.rowCount === 1) return 'spent';
      // A statement of its own (a fresh snapshot in read committed): it sees the winner's commit.
      const row = await findIssued(jti);
      return row && row.kind === kind && (row.spent_at !== null || row.revoked_at !== null) ? 'reused' : 'unknown';
    },
    find: async (jti) => {
      const row = await findIssued(jti);
      return row && { jti: row.jti, kind: row.kind, userId: row.user_id, familyId: row.family_id, expiresAt: row.expires_at, spentAt: row.spent_at, revokedAt: row.revoked_at };
    },
    revokeIssued: async (jti, now) => void (await db.query('UPDATE issued_tokens SET revoked_at = $1 WHERE jti = $2 AND revoked_at IS NULL', [now, jti])),
    revokeUnspentAuthTokens: async (userId, now) =>
      (await db.query("UPDATE issued_tokens SET revoked_at = $1 WHERE user_id = $2 AND kind = 'auth' AND spent_at IS NULL AND revoked_at IS NULL", [now, userId]))
        .rowCount ?? 0,
    createFamily: async (family: TokenFamily, now) =>
      void (await db.query('INSERT INTO token_families (id, user_id, audience, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
        family.id, family.userId, family.audience, now, family.expiresAt,
      ])),
    extendFamily: async (familyId, expiresAt) =>
      void (await db.query('UPDATE token_families SET expires_at = GREATEST(expires_at, $1) WHERE id = $2', [expiresAt, familyId])),
    findFamily: async (familyId) => {
      const [row] = (await db.query<FamilyRow>('SELECT * FROM token_families WHERE id = $1', [familyId])).rows;
      return row && toFamily(row);
    },
    activeFamilies: async (userId, now) =>
      (await db.query<FamilyRow>('SELECT * FROM token_families WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at', [userId, now]))
        .rows.map(toFamily),
    revokeFamily: (familyId, now, keepUntil) =>
      db.atomically(async (tx) => {
        await lockRevocations(tx);
        const revoked = await tx.query('UPDATE token_families SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, familyId]);
        if (revoked.rowCount !== 1) return false;
        await recordRevocation(tx, familyId, now, keepUntil);
        return true;
      }),
    revocationsSince: async (seq, now) =>
      (await db.query<{ seq: number; family_id: string; keep_until: number }>(
        'SELECT seq, family_id, keep_until FROM revocations WHERE seq > $1 AND keep_until > $2 ORDER BY seq', [seq, now],
      )).rows.map((row): Revocation => ({ seq: row.seq, familyId: row.family_id, keepUntil: row.keep_until })),
  };
}
