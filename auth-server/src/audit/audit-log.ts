import { once } from 'node:events';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { REDACTED } from '../logger';
import type { AuditEvent } from './events';

/** Where audit lines go. The server writes JSON lines; tests pass one that keeps the events. */
export interface AuditLog {
  record(event: AuditEvent): void;
}

/** `PACSGATE_AUDIT_LOG=stdout` sends the lines to the process's standard output instead of a file. */
export const AUDIT_TO_STDOUT = 'stdout';

export interface AuditLogOptions {
  /** Synchronous writes, for the short-lived CLI: its lines must be on disk before it exits. */
  sync: boolean;
  /** The descriptor `stdout` stands for; the CLI uses 2 to keep its own output clean. */
  stdoutFd?: 1 | 2;
}

/**
 * The audit log as JSON lines through pino: a line is serialized where the event happens and written
 * asynchronously (sonic-boom), so `/verify` never waits on the disk. `log: "audit"` tells these
 * lines apart when they share standard output with the server log.
 */
export class JsonLinesAuditLog implements AuditLog {
  private readonly logger: pino.Logger;
  /** Sonic-boom always announces 'ready' after construction; an open error reaches the 'error' listener. */
  private readonly opened: Promise<void>;

  constructor(
    private readonly stream: ReturnType<typeof pino.destination>,
    private readonly isFile: boolean,
  ) {
    this.logger = pino(
      {
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        // In place of pino's level: every audit line is the same kind of record.
        formatters: { level: () => ({ log: 'audit' }) },
        // A second fence: events are typed without credentials, but a field added later might not be.
        redact: { paths: REDACTED, censor: '[redacted]' },
      },
      stream,
    );
    this.opened = once(stream, 'ready').then(
      () => undefined,
      () => undefined,
    );
  }

  record(event: AuditEvent): void {
    this.logger.info(event);
  }

  /** Opens the file again under its name: after logrotate moved it away (SIGHUP). */
  reopen(): void {
    if (this.isFile) this.stream.reopen();
  }

  /**
   * Resolves once the file is open. Until then an exit would make pino's exit hook throw
   * "sonic boom is not ready yet" over our own start-up message.
   */
  ready(): Promise<void> {
    return this.opened;
  }

  /** Writes what is buffered; called at shutdown. */
  flush(): void {
    try {
      this.stream.flushSync();
    } catch {
      // Not open yet (nothing was written) or already closed: nothing to flush.
    }
  }
}

export class AuditLogError extends Error {}

/** Opens the file once, synchronously, so a config dir we cannot write to stops the start with a clear message. */
function checkWritable(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  } catch (error) {
    throw new AuditLogError(`cannot write the audit log ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); set PACSGATE_AUDIT_LOG to a writable file or to stdout`);
  }
}

/**
 * Opens the audit log at `destination`: a file path (appended to, created 0600) or `stdout`. A write
 * failing later (disk full) goes to `onError` and the server keeps answering.
 */
export function openAuditLog(destination: string, options: AuditLogOptions, onError?: (error: Error) => void): JsonLinesAuditLog {
  const toStdout = destination === AUDIT_TO_STDOUT;
  if (!toStdout) checkWritable(destination);
  const stream = toStdout
    ? pino.destination({ dest: options.stdoutFd ?? 1, sync: options.sync })
    : pino.destination({ dest: destination, sync: options.sync, append: true, mode: 0o600 });
  if (onError) stream.on('error', onError);
  return new JsonLinesAuditLog(stream, !toStdout);
}
