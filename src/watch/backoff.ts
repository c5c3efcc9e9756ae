/** The settings of failure backoff. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * How long to wait after the `attempt`-th failure in a row: exponential from `baseMs`, capped at
 * `maxMs`, never less than Graph's Retry-After, plus up to 25% jitter so retries do not align.
 */
export function backoffDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const floor = Math.max(exponential, retryAfterMs ?? 0, 1);
  return Math.ceil(floor + floor * 0.25 * random());
}
