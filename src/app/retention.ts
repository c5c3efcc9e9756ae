import type { Kysely } from 'kysely';
import { purgeFinishedAlerts } from '../store/alert-queue';
import { purgeStaleBotState } from '../store/bot-state';
import type { DatabaseSchema } from '../store/database-schema';
import { purgeFinished } from '../store/inbox-queue';
import { purgeIdleMsalCaches } from '../store/msal-token-cache';
import { purgeConsumedPresenceChanges } from '../store/presence-change-queue';
import {
  purgeIdleChannelAccounts,
  purgeIdleConversationReferences,
  purgeRetiredEncryptionKeys,
  purgeSettledSigninAlerts,
  purgeUnwatchedPresenceStates,
} from '../store/retention-purges';
import type { MaintenanceTask } from './store-maintenance';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** One kind of finished row and how long it is kept. */
export interface RetentionJob {
  readonly name: string;
  readonly keepMs: number;
  purge(db: Kysely<DatabaseSchema>, olderThan: number): Promise<number>;
}

/**
 * What is kept, and for how long (the README's privacy section lists every table): inbox items well
 * past Graph's 4-hour retry window (so redeliveries still dedupe); presence transitions and sent
 * alerts a day (no history); the presence of people nobody watches an hour; turn state, idle
 * conversations and the channel accounts of people who watch nobody a month after they last spoke;
 * settled sign-in alerts and retired notification keys (once no subscription names them) a day;
 * MSAL token caches nothing wrote for 90 days (Entra's refresh-token inactivity lifetime).
 */
export const RETENTION_JOBS: readonly RetentionJob[] = [
  {
    name: 'notification inbox',
    keepMs: DAY_MS,
    purge: async (db, olderThan) => (await purgeFinished(db, olderThan)).items,
  },
  { name: 'presence changes', keepMs: DAY_MS, purge: purgeConsumedPresenceChanges },
  { name: 'alert outbox', keepMs: DAY_MS, purge: purgeFinishedAlerts },
  { name: 'bot turn state', keepMs: 30 * DAY_MS, purge: purgeStaleBotState },
  { name: 'unwatched presence', keepMs: HOUR_MS, purge: purgeUnwatchedPresenceStates },
  { name: 'idle channel accounts', keepMs: 30 * DAY_MS, purge: purgeIdleChannelAccounts },
  { name: 'idle conversations', keepMs: 30 * DAY_MS, purge: purgeIdleConversationReferences },
  { name: 'settled sign-in alerts', keepMs: DAY_MS, purge: purgeSettledSigninAlerts },
  { name: 'retired notification keys', keepMs: DAY_MS, purge: purgeRetiredEncryptionKeys },
  { name: 'idle MSAL token caches', keepMs: 90 * DAY_MS, purge: purgeIdleMsalCaches },
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
