import type { Kysely } from 'kysely';
import type { Logger } from '../logging/logger';
import { purgeFinishedAlerts } from '../store/alert-outbox-claims';
import { purgeStaleBotState } from '../store/bot-state';
import type { DatabaseSchema } from '../store/database-schema';
import { purgeFinished } from '../store/notification-inbox';
import { purgeConsumedPresenceChanges } from '../store/presence-changes';

const HOUR_MS = 60 * 60 * 1000;
const PURGE_INTERVAL_MS = HOUR_MS;

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

/** Runs every job now and then hourly; returns a stop function. */
export function startRetention(
  db: Kysely<DatabaseSchema>,
  now: () => number,
  logger: Logger,
  jobs: readonly RetentionJob[] = RETENTION_JOBS,
): () => void {
  const log = logger.child({ module: 'retention' });
  const purgeAll = (): void => {
    for (const job of jobs) {
      job.purge(db, now() - job.keepMs).then(
        (purged) => {
          if (purged > 0) log.info({ job: job.name, purged }, 'purged finished rows');
        },
        (error: unknown) => log.warn({ err: error, job: job.name }, 'purge failed'),
      );
    }
  };
  const timer = setInterval(purgeAll, PURGE_INTERVAL_MS);
  timer.unref();
  purgeAll();
  return () => clearInterval(timer);
}
