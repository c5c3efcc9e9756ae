import type { Logger } from '../logging/logger';
import type { Timers } from './timers';

/** A pass's answer meaning "nothing is due": the loop sleeps its poll interval or until woken. */
export const NOTHING_DUE = Number.POSITIVE_INFINITY;

/** What a background loop runs, and how it sleeps between passes. */
export interface BackgroundLoopOptions {
  /**
   * One pass of work; resolves to how long to sleep before the next one: 0 runs it at once (more
   * work is waiting), `NOTHING_DUE` sleeps the poll interval. A rejection is logged and retried
   * after the poll interval.
   */
  readonly pass: () => Promise<number>;
  /** The longest sleep between passes: the fallback when nobody wakes the loop. */
  readonly pollIntervalMs: number;
  readonly timers: Timers;
  readonly logger: Logger;
  /** The log message of a failed pass. */
  readonly failureMessage: string;
  /** Called after every pass (a health heartbeat). */
  readonly onPass?: () => void;
}

/** A polling loop that can be woken: one pass at a time, never two at once. */
export interface BackgroundLoop {
  /** Runs the first pass now, then keeps going until `stop()`. */
  start(): void;
  /** Stops sleeping and waits for the pass in flight, if any. */
  stop(): Promise<void>;
  /** Runs the next pass at once; wakes during a pass coalesce into one more pass right after it. */
  wake(): void;
  /** Resolves when the running loop is next idle: a pass found nothing more to do and no wake is pending. */
  drained(): Promise<void>;
}

/** Builds a loop; nothing runs until `start()`. */
export function createBackgroundLoop(options: BackgroundLoopOptions): BackgroundLoop {
  const state = { running: false, idle: false, wakeRequested: false };
  let inFlight: Promise<void> | undefined;
  let timer: unknown;
  let idleWaiters: (() => void)[] = [];

  const releaseIdleWaiters = (): void => {
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const clearTimer = (): void => {
    if (timer === undefined) return;
    options.timers.clearTimeout(timer);
    timer = undefined;
  };
  const attempt = async (): Promise<{ sleepMs: number; failed: boolean }> => {
    try {
      return { sleepMs: await options.pass(), failed: false };
    } catch (error) {
      options.logger.error({ err: error }, options.failureMessage);
      return { sleepMs: options.pollIntervalMs, failed: true };
    }
  };
  const afterPass = ({ sleepMs, failed }: { sleepMs: number; failed: boolean }): void => {
    inFlight = undefined;
    options.onPass?.();
    if (!state.running) return;
    if (state.wakeRequested || sleepMs <= 0) {
      runPass();
      return;
    }
    if (!failed) {
      state.idle = true;
      releaseIdleWaiters();
    }
    timer = options.timers.setTimeout(
      () => {
        timer = undefined;
        runPass();
      },
      Math.min(sleepMs, options.pollIntervalMs),
    );
  };
  function runPass(): void {
    state.idle = false;
    state.wakeRequested = false;
    inFlight = attempt().then(afterPass);
  }

  return {
    start() {
      if (state.running) return;
      state.running = true;
      runPass();
    },
    async stop() {
      state.running = false;
      clearTimer();
      await inFlight;
      releaseIdleWaiters();
    },
    wake() {
      if (!state.running) return;
      if (inFlight) {
        state.wakeRequested = true;
        return;
      }
      clearTimer();
      runPass();
    },
    drained() {
      if (state.idle) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
