/** One background loop the health check watches. */
export interface WorkerHeartbeat {
  /** Records that the loop completed a pass (or an idle wait) just now. */
  beat(): void;
}

/** How one worker stands: when it last beat and whether that is too long ago. */
export interface WorkerStatus {
  readonly name: string;
  readonly lastBeatAgoMs: number | null;
  readonly stalled: boolean;
}

/** The loops of this process and when each last showed life. */
export interface WorkerHeartbeats {
  /** Registers a loop that must beat at least every `stallAfterMs` once it has started. */
  register(name: string, stallAfterMs: number): WorkerHeartbeat;
  /** Every registered loop; one that has never beaten counts from its registration. */
  statuses(): WorkerStatus[];
}

/** Creates the registry the workers beat into and /healthz reads. */
export function createWorkerHeartbeats(now: () => number): WorkerHeartbeats {
  const workers = new Map<
    string,
    { lastBeat: number | null; since: number; stallAfterMs: number }
  >();
  return {
    register(name, stallAfterMs) {
      const worker = { lastBeat: null as number | null, since: now(), stallAfterMs };
      workers.set(name, worker);
      return {
        beat() {
          worker.lastBeat = now();
        },
      };
    },
    statuses() {
      const at = now();
      return [...workers].map(([name, worker]) => ({
        name,
        lastBeatAgoMs: worker.lastBeat === null ? null : at - worker.lastBeat,
        stalled: at - (worker.lastBeat ?? worker.since) > worker.stallAfterMs,
      }));
    },
  };
}
