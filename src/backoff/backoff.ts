/**
 * How a server's Retry-After combines with the exponential delay: `at-least` waits the longer of
 * the two, `instead` waits exactly what the server asked for.
 */
export type RetryAfterRule = 'at-least' | 'instead';

/** The settings of failure backoff: exponential from `baseMs` capped at `maxMs`, then jitter. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly retryAfter: RetryAfterRule;
  /** Jitter added on top of the delay, as a share of it (0.25 adds up to 25 %). */
  readonly jitterShare: number;
  /** The most jitter added, whatever the delay. */
  readonly maxJitterMs?: number;
}

/** The part of a backoff policy that is not a setting. */
export type BackoffShape = Omit<BackoffPolicy, 'baseMs' | 'maxMs'>;

/**
 * The keeper's calls to Graph: Retry-After is a floor, since a failure repeated many times (an
 * expired sign-in, a subscription Graph keeps refusing) should still back off further.
 */
export const GRAPH_RETRY: BackoffShape = { retryAfter: 'at-least', jitterShare: 0.25 };

/**
 * The alert sender's posts to the Bot Connector: Retry-After is honoured as given, so a throttled
 * conversation resumes as soon as Teams allows; jitter is capped so a long Retry-After stays close.
 */
export const TEAMS_RETRY: BackoffShape = {
  retryAfter: 'instead',
  jitterShare: 0.2,
  maxJitterMs: 5_000,
};

const MAX_EXPONENT = 30;

/** How long to wait after the `attempt`-th failure in a row, with `random()` in [0, 1) for jitter. */
export function backoffDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, MAX_EXPONENT));
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const base =
    policy.retryAfter === 'instead'
      ? (retryAfterMs ?? exponential)
      : Math.max(exponential, retryAfterMs ?? 0);
  const floor = Math.max(base, 1);
  const jitter = Math.min(floor * policy.jitterShare, policy.maxJitterMs ?? Infinity);
  return Math.ceil(floor + jitter * random());
}
