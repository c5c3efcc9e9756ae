import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { fanOutPresenceChanges } from '../../src/alerts/alert-fanout';
import { AlertSender } from '../../src/alerts/alert-sender';
import { botConnectorSender } from '../../src/alerts/bot-connector-sender';
import { ConversationPacer } from '../../src/alerts/conversation-pacer';
import { ALERT_FANOUT_SETTINGS, ALERT_SENDER_SETTINGS } from '../../src/app/alert-service';
import { silentLogger } from '../../src/logging/logger';
import type { Store, StoreExecutor } from '../../src/store/database-schema';
import { recordingWatches } from '../alerts/alert-harness';
import { personName } from './teams-faults-scenario';

/** The running alert pipeline: fan-out loop and paced sender. */
export interface AlertPipeline {
  /** Errors of fan-out passes (production logs them and tries again). */
  readonly fanOutErrors: unknown[];
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts alert delivery as production wires it (same settings, real timers, real clock, a real
 * CloudAdapter posting through botConnectorSender), with display names from the scenario.
 */
export function startAlertPipeline(store: Store, now: () => number): AlertPipeline {
  const logger = silentLogger();
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const sender = new AlertSender({
    db: store.db,
    logger,
    send: botConnectorSender(adapter, '', now),
    pacer: new ConversationPacer(),
    now,
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
    random: Math.random,
    options: { owner: 'sender-teams-faults', ...ALERT_SENDER_SETTINGS },
    watches: recordingWatches(store, now),
  });
  let stopped = false;
  const fanOutErrors: unknown[] = [];
  const fanOutOnce = () =>
    fanOutPresenceChanges(store, {
      owner: 'fanout-teams-faults',
      batchSize: ALERT_FANOUT_SETTINGS.batchSize,
      leaseMs: ALERT_FANOUT_SETTINGS.leaseMs,
      coalesceWindowMs: ALERT_FANOUT_SETTINGS.coalesceWindowMs,
      now,
      displayNames: async (_tenantId, ids) => new Map(ids.map((id) => [id, personName(id)])),
      logger,
    }).catch((error: unknown) => {
      fanOutErrors.push(error);
      return { changes: 0, alerts: 0 };
    });
  const fanOut = async (): Promise<void> => {
    while (!stopped) {
      const result = await fanOutOnce();
      if (result.alerts > 0) sender.wake();
      if (result.changes === 0) await sleep(ALERT_FANOUT_SETTINGS.pollMs);
    }
  };
  const loop = fanOut();
  sender.start();
  return {
    fanOutErrors,
    async stop() {
      stopped = true;
      await loop;
      await sender.stop();
    },
  };
}

/** How much work is still open: presence changes not fanned out and alerts not finished. */
export async function openWork(db: StoreExecutor): Promise<number> {
  const changes = await db
    .selectFrom('presence_changes')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('consumed_at', 'is', null)
    .executeTakeFirstOrThrow();
  const alerts = await db
    .selectFrom('alert_outbox')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(changes.count) + Number(alerts.count);
}

/** Waits (polling) until `done` holds and no work is open, or until `giveUpMs` passed. */
export async function waitForQuiet(
  db: StoreExecutor,
  done: () => boolean,
  giveUpMs: number,
): Promise<void> {
  const until = Date.now() + giveUpMs;
  while (Date.now() < until) {
    if (done() && (await openWork(db)) === 0) return;
    await sleep(250);
  }
}
