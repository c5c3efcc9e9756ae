/** Exponential backoff settings for failed sends. */
export interface AlertBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * How long to wait after the `attempt`-th failed send: the connector's Retry-After when it gave one,
 * else exponential from `baseMs` capped at `maxMs`; plus up to 20% jitter (at most 5 s) so retries
 * from many conversations do not align.
 */
export function retryDelayMs(
  backoff: AlertBackoff,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const base = retryAfterMs ?? Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
  const floor = Math.max(base, 1);
  return Math.ceil(floor + Math.min(floor * 0.2, 5_000) * random());
}
