import type { Logger } from '../../logging/logger';

/** What the receiver dropped, counted; logged as one summary line per interval, never per item. */
export interface RejectionTally {
  /** A batch (or body) dropped: how many items, and whether the whole body was unusable. */
  record(rejection: { items: number; malformedBody?: boolean; limited?: boolean }): void;
}

/** Builds a tally that logs at most one warning per `intervalMs` (default 10 s). */
export function createRejectionTally(
  log: Logger,
  now: () => number,
  intervalMs = 10_000,
): RejectionTally {
  let counts = { batches: 0, items: 0, malformedBodies: 0, rateLimited: 0 };
  let loggedAt = Number.NEGATIVE_INFINITY;
  return {
    record(rejection) {
      counts.batches += 1;
      counts.items += rejection.items;
      if (rejection.malformedBody) counts.malformedBodies += 1;
      if (rejection.limited) counts.rateLimited += 1;
      if (now() - loggedAt < intervalMs) return;
      log.warn(counts, 'dropped notification traffic that is not ours (counts since last report)');
      counts = { batches: 0, items: 0, malformedBodies: 0, rateLimited: 0 };
      loggedAt = now();
    },
  };
}
