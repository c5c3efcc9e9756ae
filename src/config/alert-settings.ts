import { z } from 'zod';
import { seconds } from './env-numbers';

/** Alert delivery's variables, named like the keeper's: the coalescing window, poll and retries. */
export const alertEnvShape = {
  ALERT_COALESCE_SECONDS: seconds(0, 60, 2),
  ALERT_POLL_SECONDS: seconds(1, 300, 5),
  ALERT_RETRY_BASE_SECONDS: seconds(1, 60, 1),
  ALERT_RETRY_MAX_SECONDS: seconds(1, 3600, 300),
  ALERT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
};

type AlertEnv = { [K in keyof typeof alertEnvShape]: z.infer<(typeof alertEnvShape)[K]> };

/** Alert delivery's timings in milliseconds, as the composition root hands them to the alerts. */
export interface AlertTimings {
  /** How long a first change waits for others to the same conversation (0: no coalescing). */
  readonly coalesceWindowMs: number;
  /** The longest the sender sleeps when nobody wakes it. */
  readonly senderPollMs: number;
  /** The first retry delay of a failed card, doubling up to `retryMaxMs` (Retry-After wins). */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Attempts before a card is given up with its failure code. */
  readonly maxAttempts: number;
}

/** Problems between alert settings: the first retry delay must not exceed the longest. */
export function alertTimingProblems(values: Partial<AlertEnv>): string[] {
  const base = values.ALERT_RETRY_BASE_SECONDS ?? DEFAULT_ALERT_ENV.ALERT_RETRY_BASE_SECONDS;
  const max = values.ALERT_RETRY_MAX_SECONDS ?? DEFAULT_ALERT_ENV.ALERT_RETRY_MAX_SECONDS;
  return base > max
    ? ['ALERT_RETRY_BASE_SECONDS: must not be longer than ALERT_RETRY_MAX_SECONDS']
    : [];
}

/** The validated alert timings in milliseconds. */
export function alertTimingsOf(values: AlertEnv): AlertTimings {
  return {
    coalesceWindowMs: values.ALERT_COALESCE_SECONDS * 1000,
    senderPollMs: values.ALERT_POLL_SECONDS * 1000,
    retryBaseMs: values.ALERT_RETRY_BASE_SECONDS * 1000,
    retryMaxMs: values.ALERT_RETRY_MAX_SECONDS * 1000,
    maxAttempts: values.ALERT_MAX_ATTEMPTS,
  };
}

const DEFAULT_ALERT_ENV: AlertEnv = z.object(alertEnvShape).parse({});

/** The alert timings when no ALERT_* variable is set. */
export const DEFAULT_ALERT_TIMINGS: AlertTimings = alertTimingsOf(DEFAULT_ALERT_ENV);
