import { lockRevocations, recordRevocation } from './pg-revocations';
import type { PgSession } from './pg-session';
import type { NewShareLink, ShareLinkRecord, ShareLinkRepository } from './store';

interface ShareLinkRow {
  id: string;
  label: string | null;
  studies: string[];
  can_edit: boolean;
  pin_hash: string | null;
  failed_pins: number;
  locked: boolean;
  created_by: string;
  created_at: number;
  expires_at: number;
  uses: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const toLink = (row: ShareLinkRow): ShareLinkRecord => ({
  id: row.id,
  label: row.label,
  studies: row.studies,
  canEditResource: row.can_edit,
  pinHash: row.pin_hash,
  failedPins: row.failed_pins,
  locked: row.locked,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  uses: row.uses,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Share links in PostgreSQL. Revoking one writes the `revocations` row the token families use too, so one list refuses both. */
export function pgShareLinks(db: PgSession): ShareLinkRepository {
  return {
    create: async (link: NewShareLink, now) =>
      toLink((await db.query<ShareLinkRow>(
        `INSERT INTO share_links (id, label, studies, can_edit, pin_hash, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [link.id, link.label, link.studies, link.canEditResource, link.pinHash, link.createdBy, now, link.expiresAt],
      )).rows[0]),
    find: async (id) => {
      const [row] = (await db.query<ShareLinkRow>('SELECT * FROM share_links WHERE id = $1', [id])).rows;
      return row && toLink(row);
    },
    list: async () => (await db.query<ShareLinkRow>('SELECT * FROM share_links ORDER BY created_at DESC, created_seq DESC')).rows.map(toLink),
    recordUse: async (id, now) => void (await db.query('UPDATE share_links SET uses = uses + 1, last_used_at = $1 WHERE id = $2', [now, id])),
    recordPinFailure: async (id, lockAt) => {
      // One statement under the row's lock: racing wrong PINs each count, and the one reaching `lockAt` locks.
      const [row] = (await db.query<{ failed_pins: number; locked: boolean }>(
        `UPDATE share_links SET failed_pins = failed_pins + 1, locked = (locked OR failed_pins + 1 >= $2)
         WHERE id = $1 RETURNING failed_pins, locked`,
        [id, lockAt],
      )).rows;
      return { failedPins: row?.failed_pins ?? 0, locked: row?.locked ?? false };
    },
    unlock: async (id) => (await db.query('UPDATE share_links SET failed_pins = 0, locked = FALSE WHERE id = $1', [id])).rowCount === 1,
    revoke: (id, now) =>
      db.atomically(async (tx) => {
        await lockRevocations(tx);
        const [row] = (await tx.query<{ expires_at: number }>(
          'UPDATE share_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING expires_at', [now, id],
        )).rows;
        if (!row) return false;
        await recordRevocation(tx, id, now, row.expires_at);
        return true;
      }),
  };
}
