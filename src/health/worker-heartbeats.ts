/** One background loop the health check watches. */
export interface WorkerHeartbeat {
  /** Records that the loop completed a pass (or an idle wait) just now. */
  beat(): void;
}

/** How one worker stands: not beaten yet (within its allowance), beating, or silent too long. */
export type WorkerState = 'starting' | 'ok' | 'stalled';

/** One worker's state and when it last beat. */
export interface WorkerStatus {
  readonly name: string;
  readonly lastBeatAgoMs: number | null;
  readonly state: WorkerState;
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
        state: stateOf(at, worker),
      }));
    },
  };
}

function stateOf(
  at: number,
  worker: { lastBeat: number | null; since: number; stallAfterMs: number },
): WorkerState {
  if (at - (worker.lastBeat ?? worker.since) > worker.stallAfterMs) return 'stalled';
  return worker.lastBeat === null ? 'starting' : 'ok';
}
