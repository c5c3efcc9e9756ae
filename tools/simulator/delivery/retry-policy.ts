/** How Graph-like delivery retries are spaced (simulated ms). */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Retries stop once this long has passed since the first attempt (Graph: 4 hours). */
  giveUpAfterMs: number;
}

/** Graph's behaviour: exponential backoff for up to four hours. */
export const GRAPH_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 5_000,
  maxDelayMs: 10 * 60 * 1000,
  giveUpAfterMs: 4 * 60 * 60 * 1000,
};

/** The delay before retry number `attempt` (1-based): base × 2^(attempt-1), capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}
