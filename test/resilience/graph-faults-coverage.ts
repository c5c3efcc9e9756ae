import type { RunningSimulator } from '../../tools/simulator/simulator-server';

/** A stretch of simulated time in which a watched person had no live subscription. */
export interface CoverageGap {
  readonly personId: string;
  /** The last sample that still saw the person covered (so the gap is never underestimated). */
  readonly start: number;
  /** The last sample that saw the person uncovered. */
  readonly lastUncovered: number;
  /** The first sample that saw the person covered again (the stop time if it never was). */
  readonly end: number;
  readonly closed: boolean;
}

/** Samples the simulator's live subscriptions and turns uncovered stretches into gaps. */
export interface CoverageRecorder {
  /** From now on, subscriptions this user created no longer count (their consent is gone). */
  markRevoked(userId: string): void;
  /** Stops sampling and returns every gap, open ones ended at the stop time. */
  stop(): CoverageGap[];
}

interface OpenGap {
  start: number;
  lastUncovered: number;
}

/** People covered at the simulator's current time by unexpired subscriptions of consenting users. */
export function coveredPeople(
  sim: RunningSimulator,
  revoked: ReadonlySet<string> = new Set(),
): Set<string> {
  const now = sim.clock.now();
  const live = sim
    .subscriptions()
    .filter((s) => s.expiresAt > now && !revoked.has(s.creatorId.toLowerCase()));
  return new Set(live.flatMap((s) => [...s.userIds]));
}

/** Starts sampling coverage of `watched` every `intervalMs` real milliseconds. */
export function recordCoverage(
  sim: RunningSimulator,
  watched: readonly string[],
  intervalMs: number,
): CoverageRecorder {
  const people = watched.map((id) => id.toLowerCase());
  const revoked = new Set<string>();
  const open = new Map<string, OpenGap>();
  const gaps: CoverageGap[] = [];
  let previous = sim.clock.now();

  const sample = (): void => {
    const now = sim.clock.now();
    const covered = coveredPeople(sim, revoked);
    for (const personId of people) {
      const gap = open.get(personId);
      if (!covered.has(personId)) {
        if (gap) gap.lastUncovered = now;
        else open.set(personId, { start: previous, lastUncovered: now });
      } else if (gap) {
        gaps.push({ personId, ...gap, end: now, closed: true });
        open.delete(personId);
      }
    }
    previous = now;
  };

  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    markRevoked(userId) {
      revoked.add(userId.toLowerCase());
    },
    stop() {
      clearInterval(timer);
      sample();
      for (const [personId, gap] of open) {
        gaps.push({ personId, ...gap, end: previous, closed: false });
      }
      return gaps;
    },
  };
}
