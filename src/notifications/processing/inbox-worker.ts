import type { Kysely, Transaction } from 'kysely';
import {
  createBackgroundLoop,
  NOTHING_DUE,
  type BackgroundLoop,
} from '../../background/background-loop';
import { REAL_TIMERS, type Timers } from '../../background/timers';
import type { Logger } from '../../logging/logger';
import type { DatabaseSchema } from '../../store/database-schema';
import {
  claimPending,
  markDone,
  markRejected,
  releaseLease,
  type ClaimedInboxItem,
} from '../../store/inbox-queue';
import { inTransaction } from '../../store/store-transaction';
import type { LeaseHolder } from '../../store/work-queue';
import {
  toNotificationEvent,
  type NotificationEvent,
  type ItemOutcome,
  type NotificationProcessor,
} from './notification-processor';

/** Receives verified events inside the transaction that marks their items done. */
export interface NotificationEventSink {
  handle(events: readonly NotificationEvent[], trx: Transaction<DatabaseSchema>): Promise<void>;
}

/** Settings and dependencies of the inbox worker. */
export interface InboxWorkerOptions {
  db: Kysely<DatabaseSchema>;
  processor: NotificationProcessor;
  sink: NotificationEventSink;
  logger: Logger;
  owner: string;
  now: () => number;
  claimLimit?: number;
  leaseMs?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
  idlePollMs?: number;
  /** Called after every pass of the running loop (a health heartbeat). */
  onPass?: () => void;
  /** Told after the transaction that handed these events to the sink committed. */
  onCommitted?: (events: readonly NotificationEvent[]) => void;
  /** The timers the worker sleeps with (default real ones). */
  timers?: Timers;
}

/** Drains the notification inbox: claim, verify, hand events over, mark done, all crash-safe. */
export interface InboxWorker extends BackgroundLoop {
  /** Claims and settles one batch; resolves to how many items it claimed. */
  drainOnce(): Promise<number>;
}

/** Builds the inbox worker; nothing runs until `start()` (tests may call `drainOnce()`). */
export function createInboxWorker(options: InboxWorkerOptions): InboxWorker {
  const settings = {
    claimLimit: options.claimLimit ?? 100,
    leaseMs: options.leaseMs ?? 60_000,
    maxAttempts: options.maxAttempts ?? 8,
    retryDelayMs: options.retryDelayMs ?? 15_000,
    idlePollMs: options.idlePollMs ?? 1_000,
  };
  const log = options.logger.child({ module: 'inbox-worker' });
  const drainOnce = async (): Promise<number> => {
    const claimed = await claimPending(options.db, {
      owner: options.owner,
      limit: settings.claimLimit,
      leaseMs: settings.leaseMs,
      now: options.now(),
    });
    if (claimed.length > 0) await settleClaim(options, settings, log, claimed);
    return claimed.length;
  };
  const loop = createBackgroundLoop({
    pass: async () => ((await drainOnce()) >= settings.claimLimit ? 0 : NOTHING_DUE),
    pollIntervalMs: settings.idlePollMs,
    timers: options.timers ?? REAL_TIMERS,
    logger: log,
    failureMessage: 'inbox drain failed; items stay pending and are retried',
    ...(options.onPass ? { onPass: options.onPass } : {}),
  });
  return { ...loop, drainOnce };
}

type WorkerSettings = Required<Pick<InboxWorkerOptions, 'maxAttempts' | 'retryDelayMs'>>;

async function settleClaim(
  options: InboxWorkerOptions,
  settings: WorkerSettings,
  log: Logger,
  claimed: ClaimedInboxItem[],
): Promise<void> {
  const fresh = claimed.filter((item) => item.attempts <= settings.maxAttempts);
  const exhausted = claimed.filter((item) => item.attempts > settings.maxAttempts);
  const groups = groupByBatch(fresh);
  const outcomes = (
    await Promise.all(groups.map((group) => processGroup(options.processor, group)))
  ).flat();
  const items = groups.flat();
  const holder: LeaseHolder = { owner: options.owner, now: options.now() };
  const { lost, events } = await inTransaction(options.db, async (trx) => {
    const done = await markDone(trx, holder, idsWith(items, outcomes, 'verified'));
    const held = new Set(done.held);
    const events = items.flatMap((item, i) =>
      held.has(item.id) ? eventOf(outcomes[i], item) : [],
    );
    if (events.length > 0) await options.sink.handle(events, trx);
    const lost = [...done.lost];
    for (const { id, code } of rejectionsOf(items, outcomes, exhausted)) {
      lost.push(...(await markRejected(trx, holder, id, code)).lost);
    }
    return { lost, events };
  });
  if (events.length > 0) options.onCommitted?.(events);
  const retry = idsWith(items, outcomes, 'retry');
  const released = await releaseLease(
    options.db,
    holder,
    retry,
    holder.now + settings.retryDelayMs,
  );
  logOutcomes(log, outcomes, exhausted.length);
  logLostLeases(log, [...lost, ...released.lost]);
}

function rejectionsOf(
  items: ClaimedInboxItem[],
  outcomes: ItemOutcome[],
  exhausted: ClaimedInboxItem[],
): { id: number; code: string }[] {
  return [
    ...items.flatMap((item, i) => {
      const outcome = outcomes[i];
      return outcome?.status === 'rejected' ? [{ id: item.id, code: outcome.error.code }] : [];
    }),
    ...exhausted.map((item) => ({ id: item.id, code: 'NOTIFICATION_REJECTED' })),
  ];
}

function logLostLeases(log: Logger, ids: readonly number[]): void {
  if (ids.length === 0) return;
  log.warn(
    { items: ids.length },
    'notification items were re-claimed by another worker after our lease expired; left to it',
  );
}

function idsWith(
  items: ClaimedInboxItem[],
  outcomes: ItemOutcome[],
  status: ItemOutcome['status'],
): number[] {
  return items.filter((_, i) => outcomes[i]?.status === status).map((item) => item.id);
}

async function processGroup(
  processor: NotificationProcessor,
  items: ClaimedInboxItem[],
): Promise<ItemOutcome[]> {
  const first = items[0];
  if (!first) return [];
  const parsed = items.map((item) => JSON.parse(item.payload) as unknown);
  return processor.processBatch(parsed, first.validationTokens);
}

function eventOf(outcome: ItemOutcome | undefined, item: ClaimedInboxItem): NotificationEvent[] {
  return outcome?.status === 'verified' ? [toNotificationEvent(outcome.item, item.receivedAt)] : [];
}

function groupByBatch(items: ClaimedInboxItem[]): ClaimedInboxItem[][] {
  const groups = new Map<number, ClaimedInboxItem[]>();
  for (const item of items) {
    const group = groups.get(item.batchId);
    if (group) group.push(item);
    else groups.set(item.batchId, [item]);
  }
  return [...groups.values()];
}

function logOutcomes(log: Logger, outcomes: ItemOutcome[], exhausted: number): void {
  const rejected = countCodes(outcomes, 'rejected');
  const retried = countCodes(outcomes, 'retry');
  if (Object.keys(rejected).length === 0 && Object.keys(retried).length === 0 && exhausted === 0) {
    return;
  }
  log.warn(
    { rejected, deferredForRetry: retried, rejectedAfterTooManyAttempts: exhausted },
    'notification items not accepted (counts by code)',
  );
}

function countCodes(outcomes: ItemOutcome[], status: 'rejected' | 'retry'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (outcome.status === status)
      counts[outcome.error.code] = (counts[outcome.error.code] ?? 0) + 1;
  }
  return counts;
}
