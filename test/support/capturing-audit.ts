import type { AuditLog } from '../../auth-server/src/audit/audit-log';
import type { AuditEvent } from '../../auth-server/src/audit/events';

type EventName = AuditEvent['event'];

/** An audit log that keeps the events, for tests to read. */
export class CapturingAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];

  record(event: AuditEvent): void {
    this.events.push(event);
  }

  /** The events named `name`, typed as such. */
  of<E extends EventName>(name: E): Array<Extract<AuditEvent, { event: E }>> {
    return this.events.filter((event): event is Extract<AuditEvent, { event: E }> => event.event === name);
  }

  clear(): void {
    this.events.length = 0;
  }
}
