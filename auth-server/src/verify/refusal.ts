import type { RefusalReason } from '../audit/events';

/**
 * A refusal and why; `username` only when a known user was refused a write, `share` (the link's id)
 * only when a share link's token was refused. 503: what to check could not be looked up.
 */
export interface Refusal {
  status: 401 | 403 | 503;
  reason: RefusalReason;
  username?: string;
  share?: string;
}
