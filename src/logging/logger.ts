import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that must never reach a log line, wherever they appear. */
const REDACTED_PATHS = [
  'clientState',
  '*.clientState',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'password',
  '*.password',
  'privateKey',
  '*.privateKey',
  'validationTokens',
  '*.validationTokens',
  'encryptedContent',
  '*.encryptedContent',
  'resourceData',
  '*.resourceData',
  'req.headers.authorization',
];

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Pretty output in colour: only when it goes to a terminal (default off). */
  colorize?: boolean;
  destination?: pino.DestinationStream;
}

/** True when `stream` is a terminal, where coloured log lines are wanted (never in a file or pipe). */
export function isTerminal(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true;
}

/** Builds the root logger; modules take child loggers from it. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'presence-watch' },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.format === 'pretty') {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: {
          colorize: options.colorize === true,
          singleLine: true,
          ignore: 'pid,hostname,service',
          translateTime: 'HH:MM:ss',
        },
      },
    });
  }
  return pino(base);
}

/** A logger that drops everything, for tests and library callers. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
