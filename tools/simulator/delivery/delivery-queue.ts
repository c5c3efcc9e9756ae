import type { Logger } from '../../../src/logging/logger';
import type {
  ChangeNotificationBatch,
  ChangeNotificationItem,
} from '../../../src/notifications/receiver/notification-envelope';
import type { SimClock } from '../sim-clock';
import type { SimCounters } from '../sim-counters';
import { createHeldDeliveries } from './held-deliveries';
import { retryDelayMs, type RetryPolicy } from './retry-policy';
import type { ValidationTokenCache } from './validation-token-cache';
import { postNotificationBatch } from './webhook-poster';

/** One notification on its way to a webhook. */
export interface OutgoingNotification {
  url: string;
  appId: string;
  tenantId: string;
  item: ChangeNotificationItem;
}

/** Settings and collaborators of the delivery queue. */
export interface DeliveryQueueOptions {
  clock: SimClock;
  tokens: ValidationTokenCache;
  counters: SimCounters;
  retry: RetryPolicy;
  timeoutMs: number;
  maxBatchSize: number;
  /** Real ms to wait for more notifications before a POST. */
  batchWindowMs: number;
  /** True when a delivery should be silently lost (fault injection). */
  shouldDrop: () => boolean;
  /** Simulated delays of the copies of each enqueued notification (fault injection; `[0]` normally). */
  copyDelays?: () => number[];
  logger: Logger;
}

/** Batches notifications per URL, POSTs them, and retries failures with backoff. */
export interface DeliveryQueue {
  enqueue(notification: OutgoingNotification): void;
  /** Sends every retry and held-back copy whose time has come (called by the simulator heartbeat). */
  sendDueRetries(): void;
  /** Resolves when nothing is held back, collecting or in flight. */
  idle(): Promise<void>;
  stop(): void;
}

interface Batch {
  url: string;
  items: OutgoingNotification[];
  attempts: number;
  firstAttemptAt: number;
  nextAttemptAt: number;
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** Builds the queue; nothing is sent until `enqueue` is called. */
export function createDeliveryQueue(options: DeliveryQueueOptions): DeliveryQueue {
  const { clock, counters } = options;
  const log = options.logger.child({ module: 'simulator-delivery' });
  const collecting = new Map<string, OutgoingNotification[]>();
  const retries: Batch[] = [];
  const inFlight = new Set<Promise<void>>();
  let flushTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const body = async (batch: Batch): Promise<ChangeNotificationBatch> => {
    const rich = batch.items.filter((n) => n.item.encryptedContent !== undefined);
    const pairs = new Map(rich.map((n) => [`${n.appId}|${n.tenantId}`, n]));
    const value = batch.items.map((n) => n.item);
    if (pairs.size === 0) return { value };
    const tokens = await Promise.all(
      [...pairs.values()].map((n) => options.tokens.tokenFor(n.appId, n.tenantId)),
    );
    return { value, validationTokens: tokens };
  };

  const settleFailure = (batch: Batch): void => {
    const size = batch.items.length;
    if (stopped || clock.now() - batch.firstAttemptAt >= options.retry.giveUpAfterMs) {
      counters.increment('notificationsFailed', size);
      return;
    }
    counters.increment('notificationsRetried', size);
    retries.push({
      ...batch,
      nextAttemptAt: clock.now() + retryDelayMs(options.retry, batch.attempts),
    });
  };

  const attempt = async (batch: Batch): Promise<void> => {
    batch.attempts += 1;
    if (options.shouldDrop()) {
      counters.increment('notificationsDropped', batch.items.length);
      return;
    }
    counters.increment('deliveryPosts');
    const outcome = await postNotificationBatch(batch.url, await body(batch), options.timeoutMs);
    if (outcome.ok) {
      counters.increment('notificationsDelivered', batch.items.length);
      return;
    }
    counters.increment(outcome.reason === 'timeout' ? 'deliveryTimeouts' : 'deliveryFailures');
    log.debug(
      { url: batch.url, status: outcome.status, reason: outcome.reason },
      'delivery failed',
    );
    settleFailure(batch);
  };

  const track = (batch: Batch): void => {
    const running = attempt(batch).catch((error: unknown) => {
      log.error({ err: error }, 'delivery attempt crashed');
      settleFailure(batch);
    });
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
  };

  const flush = (): void => {
    flushTimer = undefined;
    for (const [url, items] of collecting) {
      collecting.delete(url);
      for (const part of chunks(items, options.maxBatchSize)) {
        track({ url, items: part, attempts: 0, firstAttemptAt: clock.now(), nextAttemptAt: 0 });
      }
    }
  };

  const collect = (notification: OutgoingNotification): void => {
    if (stopped) return;
    const list = collecting.get(notification.url) ?? [];
    list.push(notification);
    collecting.set(notification.url, list);
    flushTimer ??= setTimeout(flush, options.batchWindowMs);
  };
  const held = createHeldDeliveries(clock, collect);

  return {
    enqueue(notification) {
      if (stopped) return;
      const delays = options.copyDelays?.() ?? [0];
      if (delays.length > 1) counters.increment('notificationsDuplicated', delays.length - 1);
      for (const delay of delays) {
        if (delay <= 0) {
          collect(notification);
          continue;
        }
        counters.increment('notificationsDelayed');
        held.hold(notification, delay);
      }
    },
    sendDueRetries() {
      held.releaseDue();
      const now = clock.now();
      const due = retries.filter((batch) => batch.nextAttemptAt <= now);
      for (const batch of due) {
        retries.splice(retries.indexOf(batch), 1);
        track(batch);
      }
    },
    async idle() {
      while (held.size > 0 || flushTimer !== undefined || inFlight.size > 0) {
        if (held.size > 0 && flushTimer === undefined && inFlight.size === 0) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        if (flushTimer !== undefined) {
          clearTimeout(flushTimer);
          flush();
        }
        await Promise.all([...inFlight]);
      }
    },
    stop() {
      stopped = true;
      if (flushTimer !== undefined) clearTimeout(flushTimer);
      flushTimer = undefined;
      collecting.clear();
      held.clear();
      retries.length = 0;
    },
  };
}
