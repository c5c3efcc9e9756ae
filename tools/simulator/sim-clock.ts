/** The simulator's clock: simulated time that can run faster than real time or jump ahead. */
export interface SimClock {
  /** Simulated milliseconds since the epoch. */
  now(): number;
  /** How many simulated milliseconds pass per real millisecond. */
  speed(): number;
  /** Changes the speed from this moment on (must be > 0). */
  setSpeed(speed: number): void;
  /** Jumps simulated time forward by `ms` and tells every listener. */
  advance(ms: number): void;
  /** Calls `listener` after every `advance`; returns the unsubscribe function. */
  onAdvance(listener: () => void): () => void;
}

/** Builds a clock starting at `start` (default: real now) running at `speed` (default 1). */
export function createSimClock(
  options: { start?: number; speed?: number; realNow?: () => number } = {},
): SimClock {
  const realNow = options.realNow ?? Date.now;
  let baseReal = realNow();
  let baseSim = options.start ?? baseReal;
  let currentSpeed = checkedSpeed(options.speed ?? 1);
  const listeners = new Set<() => void>();
  const now = (): number => Math.floor(baseSim + (realNow() - baseReal) * currentSpeed);

  return {
    now,
    speed: () => currentSpeed,
    setSpeed(speed) {
      const checked = checkedSpeed(speed);
      baseSim = now();
      baseReal = realNow();
      currentSpeed = checked;
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError('advance needs a non-negative number');
      baseSim += ms;
      for (const listener of listeners) listener();
    },
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function checkedSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError('clock speed must be > 0');
  return speed;
}
