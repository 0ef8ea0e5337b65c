import type { Clock } from '../clock';
import type { Refusal } from '../verify/refusal';
import type { VerifyInput } from '../verify/verify-request';
import type { AuditLog } from './audit-log';
import { redactUri } from './redact-uri';
import { RefusalLimit } from './refusal-limit';

export interface VerifyAuditSettings {
  /** One line per allowed request (user, method, URI): answers "who opened which study". */
  accessLog: boolean;
  /** Refused-request lines per second at most; the rest are counted. */
  refusedPerSecond: number;
}

/** Methods are whatever the client sent: kept short in the log. */
const methodOf = (input: VerifyInput): string => (input.originalMethod || 'GET').slice(0, 16);

/** The audit side of `/verify`: every refusal (rate-limited) and, when turned on, every allowed request. */
export class VerifyAuditor {
  private readonly limit: RefusalLimit;

  constructor(
    private readonly audit: AuditLog,
    clock: Clock,
    private readonly settings: VerifyAuditSettings,
  ) {
    this.limit = new RefusalLimit(settings.refusedPerSecond, clock);
  }

  /** `share`: the link's id, when a share link's token was let through. */
  allowed(input: VerifyInput, username: string, share?: string): void {
    if (!this.settings.accessLog) return;
    this.audit.record({ event: 'access', username, ...(share && { share }), method: methodOf(input), uri: redactUri(input.originalUri ?? '') });
  }

  refused(input: VerifyInput, refusal: Refusal): void {
    if (!this.limit.admit(this.reportSuppressed)) return;
    const { status, reason, username, share } = refusal;
    this.audit.record({ event: 'verify.refused', status, reason, method: methodOf(input), uri: redactUri(input.originalUri ?? ''), ...(username && { username }), ...(share && { share }) });
  }

  private readonly reportSuppressed = (count: number, sinceMs: number): void => {
    this.audit.record({ event: 'verify.refused-suppressed', count, since: new Date(sinceMs).toISOString() });
  };
}
