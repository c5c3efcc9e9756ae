import type { BatchObservableResult, Meter, ObservableGauge } from '@opentelemetry/api';
import { sql } from 'kysely';
import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';

/** What the gauges read at each collection: the store and the clock. */
export interface StoreGaugeDeps {
  readonly db: StoreExecutor;
  readonly now: () => number;
  readonly logger: Logger;
}

interface StateCount {
  readonly state: string;
  readonly count: number | string | bigint;
}

/**
 * Registers gauges read from the store at each collection (so every instance reports the shared
 * truth): inbox depth and oldest pending age, subscriptions by state and lapsed ones, and the
 * alert outbox by status.
 */
export function registerStoreGauges(meter: Meter, deps: StoreGaugeDeps): void {
  const log = deps.logger.child({ module: 'metrics' });
  const inboxDepth = meter.createObservableGauge('presence_watch.inbox.depth', {
    description: 'Notification items waiting for the worker',
  });
  const inboxAge = meter.createObservableGauge('presence_watch.inbox.oldest_age', {
    description: 'Seconds the oldest waiting notification item has waited',
    unit: 's',
  });
  const subscriptions = meter.createObservableGauge('presence_watch.subscriptions', {
    description: 'Graph presence subscriptions by state (active, renewing, failed, ...)',
  });
  const lapsed = meter.createObservableGauge('presence_watch.subscriptions.lapsed', {
    description: 'Subscriptions past their expiry that were not renewed',
  });
  const outbox = meter.createObservableGauge('presence_watch.alerts.outbox', {
    description: 'Alerts in the outbox by status (pending = queued)',
  });
  meter.addBatchObservableCallback(
    async (result) => {
      try {
        await observeStore(deps, result, { inboxDepth, inboxAge, subscriptions, lapsed, outbox });
      } catch (error) {
        log.warn({ error: (error as Error).message }, 'metrics could not read the store');
      }
    },
    [inboxDepth, inboxAge, subscriptions, lapsed, outbox],
  );
}

interface StoreInstruments {
  readonly inboxDepth: ObservableGauge;
  readonly inboxAge: ObservableGauge;
  readonly subscriptions: ObservableGauge;
  readonly lapsed: ObservableGauge;
  readonly outbox: ObservableGauge;
}

async function observeStore(
  deps: StoreGaugeDeps,
  result: BatchObservableResult,
  instruments: StoreInstruments,
): Promise<void> {
  const now = deps.now();
  const inbox = await deps.db
    .selectFrom('notification_inbox')
    .select([sql<number>`count(*)`.as('count'), sql<number | null>`min(received_at)`.as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirst();
  result.observe(instruments.inboxDepth, Number(inbox?.count ?? 0));
  const oldest = inbox?.oldest === null || inbox?.oldest === undefined ? now : Number(inbox.oldest);
  result.observe(instruments.inboxAge, Math.max(0, now - oldest) / 1000);
  const states = await deps.db
    .selectFrom('graph_subscriptions')
    .select(['state', sql<number>`count(*)`.as('count')])
    .groupBy('state')
    .execute();
  observeByState(result, instruments.subscriptions, states, 'state');
  const expired = await deps.db
    .selectFrom('graph_subscriptions')
    .select(sql<number>`count(*)`.as('count'))
    .where('state', 'in', ['active', 'renewing'])
    .where('expires_at', '<', now)
    .executeTakeFirst();
  result.observe(instruments.lapsed, Number(expired?.count ?? 0));
  const alerts = await deps.db
    .selectFrom('alert_outbox')
    .select(['status as state', sql<number>`count(*)`.as('count')])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  observeByState(result, instruments.outbox, alerts, 'status');
}

function observeByState(
  result: BatchObservableResult,
  instrument: ObservableGauge,
  rows: readonly StateCount[],
  attribute: string,
): void {
  for (const row of rows) result.observe(instrument, Number(row.count), { [attribute]: row.state });
}
