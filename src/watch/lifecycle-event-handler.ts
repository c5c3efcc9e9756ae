import type { Transaction } from 'kysely';
import type { Logger } from '../logging/logger';
import type { LifecycleEvent } from '../notifications/processing/notification-processor';
import type { DatabaseSchema } from '../store/database-schema';
import { getSubscriptionByGraphId, scheduleSubscriptionAction } from '../store/graph-subscriptions';
import type { KeeperSignals } from './subscription-keeper';

/** What turning a lifecycle event into keeper work needs. */
export interface LifecycleEventDeps {
  readonly signals: Pick<KeeperSignals, 'subscriptionRemoved' | 'requestResync'>;
  readonly now: () => number;
}

/**
 * Turns a lifecycle event into keeper work: reauthorizationRequired renews now, subscriptionRemoved
 * recreates then resyncs, missed resyncs. Resolves to whether the keeper should be woken.
 */
export async function applyLifecycle(
  trx: Transaction<DatabaseSchema>,
  event: LifecycleEvent,
  deps: LifecycleEventDeps,
  log: Logger,
): Promise<boolean> {
  const fields = { subscriptionId: event.subscriptionId, lifecycleEvent: event.lifecycleEvent };
  const record = await getSubscriptionByGraphId(trx, event.subscriptionId);
  if (!record) {
    log.info(fields, 'lifecycle event for a subscription we no longer hold ignored');
    return false;
  }
  switch (event.lifecycleEvent) {
    case 'reauthorizationRequired':
      await scheduleSubscriptionAction(trx, record, deps.now());
      break;
    case 'subscriptionRemoved':
      deps.signals.subscriptionRemoved(event.subscriptionId);
      await scheduleSubscriptionAction(trx, record, deps.now());
      break;
    case 'missed':
      deps.signals.requestResync(record.tenantId, record.coveredIds, record.ownerId);
      break;
    default:
      log.warn(fields, 'unknown lifecycle event ignored');
      return false;
  }
  log.info(fields, 'lifecycle event queued for the keeper');
  return true;
}
