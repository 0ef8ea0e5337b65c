import type { RefusalReason } from '../audit/events';

/** A refusal and why; `username` only when a known user was refused a write. */
export interface Refusal {
  status: 401 | 403;
  reason: RefusalReason;
  username?: string;
}
