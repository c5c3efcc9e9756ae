import assert from 'node:assert/strict';
import {
  enqueueAlert,
  claimDueAlerts,
  extendAlertLeases,
  finishAlerts,
  markAlertsSent,
  rescheduleAlerts,
} from '../../src/store/alert-queue';
import type { StoreExecutor } from '../../src/store/database-schema';
import {
  claimPending,
  markDone,
  markRejected,
  releaseLease,
  appendBatch,
} from '../../src/store/inbox-queue';
import {
  claimPresenceChanges,
  markPresenceChangesConsumed,
  insertPresenceChange,
} from '../../src/store/presence-change-queue';
import { recordSubscriptionRenewed } from '../../src/store/subscription-outcomes';
import { forEachEngine } from '../helpers/for-each-engine';
import { inboxBatch } from './inbox-fixtures';
import { claimAs, desire, LEASE_MS, NOW } from './subscription-fixtures';
import { alexAvailableAlert } from './lease-fixtures';

const A = 'worker-a';
const B = 'worker-b';
const EXPIRED = NOW + LEASE_MS;
const LATE = EXPIRED + 1;
const LATE_A = { owner: A, now: LATE };
const claim = (owner: string, now: number) => ({ owner, limit: 10, leaseMs: LEASE_MS, now });

forEachEngine('a late completion after the lease moved on', (fixture) => {
  describe('notification inbox', () => {
    let id: number;
    beforeEach(async () => {
      const db = fixture.store.db;
      await appendBatch(db, inboxBatch(['one'], NOW));
      const [item] = await claimPending(db, claim(A, NOW));
      id = item!.id;
      assert.equal((await claimPending(db, claim(B, EXPIRED))).length, 1);
    });

    for (const [name, complete] of [
      ['done', (db: StoreExecutor) => markDone(db, LATE_A, [id])],
      ['rejected', (db: StoreExecutor) => markRejected(db, LATE_A, id, 'DECRYPTION_FAILED')],
      ['released', (db: StoreExecutor) => releaseLease(db, LATE_A, [id], LATE)],
    ] as const) {
      it(`marking it ${name} leaves B's lease and the item pending, and tells A`, async () => {
        const db = fixture.store.db;
        const outcome: unknown = await complete(db);
        const row = await db
          .selectFrom('notification_inbox')
          .select(['status', 'lease_owner'])
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, { status: 'pending', lease_owner: B });
        assert.deepEqual(outcome, { held: [], lost: [id] });
      });
    }
  });

  describe('presence changes', () => {
    it("marking a change consumed leaves B's lease, and tells A", async () => {
      const db = fixture.store.db;
      const change = await insertPresenceChange(db, {
        tenantId: 't1',
        userId: 'alex',
        from: null,
        to: { availability: 'Available', activity: 'Available' },
        observedAt: NOW,
        source: 'notification',
        createdAt: NOW,
      });
      await claimPresenceChanges(fixture.store, claim(A, NOW));
      assert.equal((await claimPresenceChanges(fixture.store, claim(B, EXPIRED))).length, 1);
      const outcome: unknown = await markPresenceChangesConsumed(db, LATE_A, [change.id]);
      const row = await db
        .selectFrom('presence_changes')
        .select(['consumed_at', 'lease_owner'])
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { consumed_at: null, lease_owner: B });
      assert.deepEqual(outcome, { held: [], lost: [change.id] });
    });
  });

  describe('alert outbox', () => {
    let id: number;
    beforeEach(async () => {
      const db = fixture.store.db;
      await enqueueAlert(db, alexAvailableAlert('c1'), NOW);
      const [alert] = await claimDueAlerts(db, claim(A, NOW));
      id = alert!.id;
      assert.equal((await claimDueAlerts(db, claim(B, EXPIRED))).length, 1);
    });

    for (const [name, complete] of [
      ['sent', (db: StoreExecutor) => markAlertsSent(db, LATE_A, [id])],
      [
        'failed',
        (db: StoreExecutor) =>
          finishAlerts(db, LATE_A, [id], {
            status: 'failed',
            error: 'TEAMS_UNAVAILABLE',
            attempted: true,
          }),
      ],
      ['kept longer', (db: StoreExecutor) => extendAlertLeases(db, LATE_A, [id], LEASE_MS)],
      [
        'rescheduled',
        (db: StoreExecutor) =>
          rescheduleAlerts(db, LATE_A, {
            conversationId: 'c1',
            ids: [id],
            retryAt: LATE + 5_000,
            attempted: true,
            error: 'TEAMS_THROTTLED',
          }),
      ],
    ] as const) {
      it(`marking it ${name} leaves B's lease and the alert as B claimed it, and tells A`, async () => {
        const db = fixture.store.db;
        const outcome: unknown = await complete(db);
        const row = await db
          .selectFrom('alert_outbox')
          .select(['status', 'lease_owner', 'attempts', 'next_attempt_at'])
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, {
          status: 'pending',
          lease_owner: B,
          attempts: 0,
          next_attempt_at: NOW,
        });
        assert.deepEqual(outcome, { held: [], lost: [id] });
      });
    }
  });

  describe('graph subscriptions', () => {
    it("recording a renewal leaves B's lease, and tells A", async () => {
      const db = fixture.store.db;
      await desire(db, 'owner-1', ['alex']);
      await claimAs(db, A);
      const [record] = await claimAs(db, B, EXPIRED);
      const lease = { tenantId: 't1', ownerId: record!.ownerId, leaseOwner: A, now: LATE };
      const outcome = await recordSubscriptionRenewed(db, {
        ...lease,
        expiresAt: LATE + 3_600_000,
        nextActionAt: LATE + 3_000_000,
      });
      assert.equal(outcome, undefined);
      const row = await db
        .selectFrom('graph_subscriptions')
        .select(['lease_owner', 'expires_at'])
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { lease_owner: B, expires_at: null });
    });
  });
});
