import { fanOutPresenceChanges } from '../../src/alerts/alert-fanout';
import { silentLogger } from '../../src/logging/logger';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { countByStatus, type InboxCounts } from '../../src/store/inbox-queue';
import { notificationUrlOf } from '../../src/watch/keeper-config';
import { ADELE_ID, ALEX_ID, MEGAN_ID, TEST_APP_ID } from '../helpers/tenant-simulator-harness';
import {
  startKeeperHarness,
  type HarnessOptions,
  type KeeperHarness,
} from '../watch/keeper-harness';
import type { GenuineSource } from './forgery-genuine';

/** The conversation that watches the forged-about people. */
export const WATCHING_CONVERSATION = 'conv-forgery';
const RETRY_STEP_MS = 16_000;
const STALL_POLLS = 5;

/** A keeper harness with a real subscription, and what the forgery suite reads from it. */
export interface ForgeryRig {
  readonly harness: KeeperHarness;
  readonly url: string;
  readonly source: GenuineSource;
  changeCount(): Promise<number>;
  inbox(): Promise<InboxCounts>;
  /** Polls until no inbox item is pending; moves the worker's clock past retry delays when stuck. */
  drain(timeoutMs: number): Promise<InboxCounts>;
  /** Runs the alert fan-out once; resolves with the changes it consumed and alerts it queued. */
  fanOut(): Promise<{ changes: number; alerts: number }>;
  alertCount(): Promise<number>;
  rejectionCodes(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts the harness, watches two people, lets a keeper create the real subscription. */
export async function startForgeryRig(options: HarnessOptions = {}): Promise<ForgeryRig> {
  const h = await startKeeperHarness(options);
  await h.watch(WATCHING_CONVERSATION, ALEX_ID, MEGAN_ID);
  await h.watch(WATCHING_CONVERSATION, ALEX_ID, ADELE_ID);
  await h.keeper().runOnce();
  await h.settle();
  const subscription = h.live()[0];
  if (!subscription || h.live().length !== 1) throw new Error('expected one live subscription');
  const db = h.store.db;
  const inbox = (): Promise<InboxCounts> => countByStatus(db);
  return {
    harness: h,
    url: notificationUrlOf(h.config),
    source: {
      subscription,
      issuer: h.sim.validationTokenIssuer,
      appId: TEST_APP_ID,
      users: [MEGAN_ID.toLowerCase(), ADELE_ID.toLowerCase()],
      claimedPresences: [
        COMMON_PRESENCES.doNotDisturb,
        COMMON_PRESENCES.away,
        COMMON_PRESENCES.beRightBack,
        COMMON_PRESENCES.offline,
      ],
      now: () => h.sim.clock.now(),
    },
    changeCount: async () =>
      (await db.selectFrom('presence_changes').select('id').execute()).length,
    inbox,
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let last = -1;
      let stalled = 0;
      for (;;) {
        const counts = await inbox();
        if (counts.pending === 0 || Date.now() > deadline) return counts;
        stalled = counts.pending === last ? stalled + 1 : 0;
        last = counts.pending;
        if (stalled >= STALL_POLLS) {
          h.sim.clock.advance(RETRY_STEP_MS);
          h.notifications.worker.wake();
          stalled = 0;
        }
        await delay(100);
      }
    },
    fanOut: () =>
      fanOutPresenceChanges(h.store, {
        owner: 'forgery-fanout',
        batchSize: 500,
        leaseMs: 30_000,
        coalesceWindowMs: 0,
        now: () => h.sim.clock.now(),
        logger: silentLogger(),
      }),
    alertCount: async () => (await db.selectFrom('alert_outbox').select('id').execute()).length,
    async rejectionCodes() {
      const rows = await db
        .selectFrom('notification_inbox')
        .select(['error_code', (eb) => eb.fn.countAll<number>().as('count')])
        .where('status', '=', 'rejected')
        .groupBy('error_code')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.error_code ?? '', Number(row.count)]));
    },
    close: () => h.close(),
  };
}
