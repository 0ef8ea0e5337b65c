import type { AuditLog } from '../audit/audit-log';
import type { Actor, AuditEvent } from '../audit/events';
import { ADMIN_SHARER } from '../share/sharer';
import type { PacsgateMetrics } from './pacsgate-metrics';

/**
 * Every admin request carries the admin password (there is no admin session): one done from the web
 * had the right one. Its audit line is an admin action, or a share link made or unlocked by the admin.
 */
const adminSignedIn = (metrics: PacsgateMetrics, actor: Actor): void => {
  if (actor.via !== 'cli') metrics.signIns.inc({ method: 'admin', result: 'succeeded' });
};

/**
 * Counts what the audit log already records (tokens, sign-ins, share links), so the features need
 * no metrics calls of their own. Labels come from the events' enumerated fields only.
 */
function count(metrics: PacsgateMetrics, event: AuditEvent): void {
  switch (event.event) {
    case 'token.issued':
      return metrics.tokensIssued.inc({ kind: event.kind });
    case 'token.exchanged':
      return metrics.tokensExchanged.inc({ via: event.via });
    case 'token.refreshed':
      return metrics.tokensRefreshed.inc();
    case 'token.revoked':
      return metrics.tokensRevoked.inc({ reason: event.reason });
    case 'sign-in.succeeded':
    case 'sign-in.failed':
      return metrics.signIns.inc({ method: event.method, result: event.event === 'sign-in.succeeded' ? 'succeeded' : 'failed' });
    case 'admin.action':
      return adminSignedIn(metrics, event);
    case 'admin.refused':
      return metrics.signIns.inc({ method: 'admin', result: 'failed' });
    case 'share.created':
      if (event.createdBy === ADMIN_SHARER) adminSignedIn(metrics, event);
      return metrics.shareLinksCreated.inc();
    case 'share.opened':
      return metrics.shareLinksOpened.inc();
    case 'share.pin-failed':
      return metrics.sharePinFailures.inc();
    case 'share.locked':
      return metrics.shareLinksLocked.inc();
    case 'share.unlocked':
      return adminSignedIn(metrics, event);
    case 'share.revoked':
      return metrics.shareLinksRevoked.inc({ reason: event.reason });
    default:
      return;
  }
}

/** `audit`, counting each event into `metrics` as it is recorded. */
export function countingAuditLog(audit: AuditLog, metrics: PacsgateMetrics): AuditLog {
  return {
    record(event) {
      count(metrics, event);
      audit.record(event);
    },
  };
}
