/** Who watches whom, or who covers whom: watcher id → target ids (lower-case Entra object ids). */
export type WatchGraph = ReadonlyMap<string, ReadonlySet<string>>;

/** Everything the coverage planner needs for one tenant. */
export interface CoveragePlanInput {
  /** Every watcher and the people they watch, over all conversations. */
  readonly watchers: WatchGraph;
  /** What each watcher's subscription covers today (or the previous plan), kept where still valid. */
  readonly current: WatchGraph;
  /** Watchers whose subscription cannot be used (revoked consent, left the tenant). */
  readonly unavailable: ReadonlySet<string>;
  /** How many subscriptions should cover each watched person (COVERAGE_REDUNDANCY). */
  readonly redundancy: number;
  /** The most ids one presence subscription may name (650 for Graph). */
  readonly maxIdsPerSubscription: number;
}

/** The planner's answer: the desired coverage of each available watcher's one subscription. */
export interface CoveragePlan {
  /** Available watcher → people their subscription should cover; an empty set needs no subscription. */
  readonly assignments: Map<string, Set<string>>;
  /** Watched people that no available watcher can cover (all failed, or all full). */
  readonly uncovered: Set<string>;
  /** Watched person → how many subscriptions cover them (0 when uncovered). */
  readonly coverage: Map<string, number>;
}
