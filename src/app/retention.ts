import type { Kysely } from 'kysely';
import type { Logger } from '../logging/logger';
import { purgeFinishedAlerts } from '../store/alert-outbox-claims';
import { purgeStaleBotState } from '../store/bot-state';
import type { DatabaseSchema } from '../store/database-schema';
import { purgeFinished } from '../store/notification-inbox';
import { purgeConsumedPresenceChanges } from '../store/presence-changes';
import { startMaintenance, type MaintenanceLoop, type MaintenanceTask } from './store-maintenance';

const HOUR_MS = 60 * 60 * 1000;

/** One kind of finished row and how long it is kept. */
export interface RetentionJob {
  readonly name: string;
  readonly keepMs: number;
  purge(db: Kysely<DatabaseSchema>, olderThan: number): Promise<number>;
}

/**
 * What is kept, and for how long: inbox items well past Graph's 4-hour retry window (so
 * redeliveries still dedupe); presence transitions and sent alerts only a day (no history); turn state
 * (a sign-in in progress) a month after its conversation last spoke.
 */
export const RETENTION_JOBS: readonly RetentionJob[] = [
  {
    name: 'notification inbox',
    keepMs: 24 * HOUR_MS,
    purge: async (db, olderThan) => (await purgeFinished(db, olderThan)).items,
  },
  { name: 'presence changes', keepMs: 24 * HOUR_MS, purge: purgeConsumedPresenceChanges },
  { name: 'alert outbox', keepMs: 24 * HOUR_MS, purge: purgeFinishedAlerts },
  { name: 'bot turn state', keepMs: 30 * 24 * HOUR_MS, purge: purgeStaleBotState },
];

/** The retention jobs as maintenance tasks: each purges rows older than its keep time. */
export function retentionTasks(
  db: Kysely<DatabaseSchema>,
  now: () => number,
  jobs: readonly RetentionJob[] = RETENTION_JOBS,
): MaintenanceTask[] {
  return jobs.map((job) => ({
    name: `retention: ${job.name}`,
    run: async (log) => {
      const purged = await job.purge(db, now() - job.keepMs);
      if (purged > 0) log.info({ job: job.name, purged }, 'purged finished rows');
    },
  }));
}

/** Runs the retention jobs now and then hourly. */
export function startRetention(
  db: Kysely<DatabaseSchema>,
  now: () => number,
  logger: Logger,
  jobs: readonly RetentionJob[] = RETENTION_JOBS,
): MaintenanceLoop {
  return startMaintenance(retentionTasks(db, now, jobs), logger);
}
