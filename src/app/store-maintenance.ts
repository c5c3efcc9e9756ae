import { createBackgroundLoop, NOTHING_DUE } from '../background/background-loop';
import { REAL_TIMERS } from '../background/timers';
import type { Logger } from '../logging/logger';

const HOUR_MS = 60 * 60 * 1000;

/** One periodic store chore (a retention purge, the store key re-seal); it logs its own results. */
export interface MaintenanceTask {
  readonly name: string;
  run(log: Logger): Promise<void>;
}

/** A running maintenance loop; `stop` ends it after the pass in flight, if any. */
export interface MaintenanceLoop {
  stop(): Promise<void>;
}

/** Runs every task now and then every `intervalMs` (hourly), one pass at a time; failures are logged. */
export function startMaintenance(
  tasks: readonly MaintenanceTask[],
  logger: Logger,
  intervalMs = HOUR_MS,
): MaintenanceLoop {
  const log = logger.child({ module: 'maintenance' });
  const runTask = (task: MaintenanceTask): Promise<void> =>
    task
      .run(log.child({ task: task.name }))
      .catch((error: unknown) => log.warn({ err: error, task: task.name }, 'maintenance failed'));
  const loop = createBackgroundLoop({
    pass: async () => {
      await Promise.all(tasks.map(runTask));
      return NOTHING_DUE;
    },
    pollIntervalMs: intervalMs,
    timers: REAL_TIMERS,
    logger: log,
    failureMessage: 'maintenance pass failed',
  });
  loop.start();
  return { stop: () => loop.stop() };
}
