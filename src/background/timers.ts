/** Timers a background loop sleeps with; `ms` is in the loop clock's milliseconds. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers (the loop clock is the wall clock); they do not keep the process alive. */
export const REAL_TIMERS: Timers = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Timers for a clock running `speed()` times faster than real time (the simulator's). */
export function scaledTimers(speed: () => number): Timers {
  return {
    setTimeout: (callback, ms) => REAL_TIMERS.setTimeout(callback, ms / speed()),
    clearTimeout: (handle) => REAL_TIMERS.clearTimeout(handle),
  };
}
