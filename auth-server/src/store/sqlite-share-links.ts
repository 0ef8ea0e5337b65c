import type Database from 'better-sqlite3';
import type { Synchronous } from './sqlite-store';
import type { NewShareLink, ShareLinkRecord, ShareLinkRepository } from './store';

interface ShareLinkRow {
  id: string;
  label: string | null;
  studies: string;
  can_edit: number;
  pin_hash: string | null;
  failed_pins: number;
  locked: number;
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
  studies: JSON.parse(row.studies) as string[],
  canEditResource: row.can_edit === 1,
  pinHash: row.pin_hash,
  failedPins: row.failed_pins,
  locked: row.locked === 1,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  uses: row.uses,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Share links in SQLite. Revoking one writes the `revocations` row the token families use too, so one list refuses both. */
export function sqliteShareLinks(db: Database.Database): Synchronous<ShareLinkRepository> {
  const q = {
    insert: db.prepare(`
      INSERT INTO share_links (id, label, studies, can_edit, pin_hash, created_by, created_at, expires_at)
      VALUES (@id, @label, @studies, @canEdit, @pinHash, @createdBy, @now, @expiresAt)
      RETURNING *`),
    find: db.prepare('SELECT * FROM share_links WHERE id = ?'),
    list: db.prepare('SELECT * FROM share_links ORDER BY created_at DESC, rowid DESC'),
    recordUse: db.prepare('UPDATE share_links SET uses = uses + 1, last_used_at = ? WHERE id = ?'),
    failPin: db.prepare(`
      UPDATE share_links SET failed_pins = failed_pins + 1, locked = CASE WHEN failed_pins + 1 >= @lockAt THEN 1 ELSE locked END
      WHERE id = @id RETURNING failed_pins, locked`),
    unlock: db.prepare('UPDATE share_links SET failed_pins = 0, locked = 0 WHERE id = ?'),
    revoke: db.prepare('UPDATE share_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING expires_at'),
    insertRevocation: db.prepare('INSERT INTO revocations (family_id, revoked_at, keep_until) VALUES (?, ?, ?)'),
  };

  const revokeInTransaction = db.transaction((id: string, now: number): boolean => {
    const row = q.revoke.get(now, id) as { expires_at: number } | undefined;
    if (!row) return false;
    q.insertRevocation.run(id, now, row.expires_at);
    return true;
  });

  return {
    create: (link: NewShareLink, now) =>
      toLink(q.insert.get({ ...link, studies: JSON.stringify(link.studies), canEdit: link.canEditResource ? 1 : 0, now }) as ShareLinkRow),
    find: (id) => {
      const row = q.find.get(id) as ShareLinkRow | undefined;
      return row && toLink(row);
    },
    list: () => (q.list.all() as ShareLinkRow[]).map(toLink),
    recordUse: (id, now) => void q.recordUse.run(now, id),
    recordPinFailure: (id, lockAt) => {
      const row = q.failPin.get({ id, lockAt }) as { failed_pins: number; locked: number } | undefined;
      return { failedPins: row?.failed_pins ?? 0, locked: row?.locked === 1 };
    },
    unlock: (id) => q.unlock.run(id).changes === 1,
    revoke: (id, now) => revokeInTransaction.immediate(id, now),
  };
}
