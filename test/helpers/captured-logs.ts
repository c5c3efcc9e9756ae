import { createLogger, type Logger } from '../../src/logging/logger';

/** One log line as pino writes it, parsed. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly err?: { code?: string };
  readonly [key: string]: unknown;
}

/** pino's number for the warn level. */
export const WARN_LEVEL = 40;

/** A debug-level JSON logger that keeps every line it writes, parsed, in `lines`. */
export function capturedLogs(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger({
    level: 'debug',
    format: 'json',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  });
  return { logger, lines };
}
