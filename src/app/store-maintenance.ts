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
  let inFlight: Promise<void> | undefined;
  const runTask = (task: MaintenanceTask): Promise<void> =>
    task
      .run(log.child({ task: task.name }))
      .catch((error: unknown) => log.warn({ err: error, task: task.name }, 'maintenance failed'));
  const pass = (): void => {
    inFlight ??= Promise.all(tasks.map(runTask)).then(() => {
      inFlight = undefined;
    });
  };
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  pass();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
