import type { Server } from 'restify';
import { registerHealthRoutes } from '../health/health-routes';
import { createWorkerHeartbeats } from '../health/worker-heartbeats';
import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';

/** The longest each loop may go without a pass before /healthz calls the process stalled. */
export const WORKER_STALL_AFTER_MS = {
  inbox: 5 * 60_000,
  keeper: 15 * 60_000,
  alertFanOut: 5 * 60_000,
  alertSender: 5 * 60_000,
} as const;

/** Heartbeat callbacks the composition root hands to each worker loop. */
export type WorkerPassHooks = Record<keyof typeof WORKER_STALL_AFTER_MS, () => void>;

/** Registers /healthz and /readyz and returns the heartbeat hook of every worker loop. */
export function startHealthService(deps: {
  server: Server;
  db: StoreExecutor;
  logger: Logger;
  now: () => number;
}): WorkerPassHooks {
  const heartbeats = createWorkerHeartbeats(deps.now);
  registerHealthRoutes(deps.server, { db: deps.db, heartbeats, logger: deps.logger });
  const hook = (name: string, stallAfterMs: number): (() => void) => {
    const heartbeat = heartbeats.register(name, stallAfterMs);
    return () => heartbeat.beat();
  };
  return {
    inbox: hook('notification-inbox', WORKER_STALL_AFTER_MS.inbox),
    keeper: hook('subscription-keeper', WORKER_STALL_AFTER_MS.keeper),
    alertFanOut: hook('alert-fan-out', WORKER_STALL_AFTER_MS.alertFanOut),
    alertSender: hook('alert-sender', WORKER_STALL_AFTER_MS.alertSender),
  };
}
