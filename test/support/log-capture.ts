import { createLogger, type Logger } from '../../auth-server/src/logger';

export interface LogCapture {
  logger: Logger;
  lines: string[];
  /** Everything logged so far, one JSON line per entry. */
  text(): string;
}

/** A real pino logger (with the app's redaction) writing into memory. */
export function captureLogs(level = 'debug'): LogCapture {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}
