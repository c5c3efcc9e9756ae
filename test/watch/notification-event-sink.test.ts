import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../src/logging/logger';
import type { NotificationEvent } from '../../src/notifications/processing/notification-processor';
import { getSubscription, upsertDesiredCoverage } from '../../src/store/graph-subscriptions';
import { ORDER_DOUBT_WINDOW_MS } from '../../src/store/presence-order';
import { getPresenceStates } from '../../src/store/presence-state';
import { createStoreKeyRing } from '../../src/store/store-keys';
import { inTransaction } from '../../src/store/store-transaction';
import { claimDueSubscriptions } from '../../src/store/subscription-queue';
import { recordSubscriptionCreated } from '../../src/store/subscription-outcomes';
import { createKeeperEventSink } from '../../src/watch/notification-event-sink';
import type { KeeperSignals } from '../../src/watch/subscription-keeper';
import { forEachEngine } from '../helpers/for-each-engine';

const NOW = 1_800_000_000_000;
const OWNER = { tenantId: 'tenant-1', ownerId: 'owner-1' };

function recordingSignals() {
  const calls: string[] = [];
  const signals: KeeperSignals = {
    wake: () => void calls.push('wake'),
    subscriptionRemoved: (id) => void calls.push(`removed ${id}`),
    requestResync: (tenantId, ids, ownerId) =>
      void calls.push(`resync ${tenantId} ${[...ids].join(',')} ${ownerId ?? ''}`),
    confirmPresence: (tenantId, ids, ownerId) =>
      void calls.push(`confirm ${tenantId} ${[...ids].join(',')} ${ownerId ?? ''}`),
  };
  return { calls, signals };
}

function lifecycle(lifecycleEvent: string, subscriptionId = 'graph-sub-1'): NotificationEvent {
  return {
    type: 'lifecycle',
    lifecycleEvent,
    tenantId: null,
    subscriptionId,
    subscriptionExpirationDateTime: null,
    receivedAt: NOW,
  };
}

forEachEngine('keeper notification event sink', (fixture) => {
  beforeEach(async () => {
    const db = fixture.store.db;
    await upsertDesiredCoverage(db, { ...OWNER, desiredIds: ['p1', 'p2'], now: NOW - 1000 });
    await claimDueSubscriptions(db, { owner: 'k', limit: 1, leaseMs: 60_000, now: NOW - 1000 });
    await recordSubscriptionCreated(db, createStoreKeyRing(randomBytes(32)), {
      ...OWNER,
      leaseOwner: 'k',
      now: NOW - 1000,
      graphSubscriptionId: 'graph-sub-1',
      coveredIds: ['p1', 'p2'],
      clientState: 'state',
      certificateId: 'cert',
      expiresAt: NOW + 50 * 60_000,
      nextActionAt: NOW + 40 * 60_000,
    });
  });

  async function handle(events: NotificationEvent[], signals: KeeperSignals): Promise<void> {
    const sink = createKeeperEventSink({ signals, logger: silentLogger(), now: () => NOW });
    await inTransaction(fixture.store.db, (trx) => sink.handle(events, trx));
  }

  it('records a presence change once, finding the tenant through the subscription', async () => {
    const { signals } = recordingSignals();
    const event: NotificationEvent = {
      type: 'presence',
      tenantId: null,
      userId: 'P1',
      availability: 'Busy',
      activity: null,
      subscriptionId: 'graph-sub-1',
      receivedAt: NOW,
    };
    await handle([event, event], signals);
    const rows = await fixture.store.db.selectFrom('presence_changes').selectAll().execute();
    assert.deepEqual(
      rows.map((r) => [r.tenant_id, r.user_id, r.to_availability, r.to_activity, r.source]),
      [['tenant-1', 'p1', 'Busy', 'PresenceUnknown', 'notification']],
    );
  });

  it('ignores presence whose tenant differs from its subscription’s tenant', async () => {
    const { signals } = recordingSignals();
    const event = (tenantId: string, availability: string): NotificationEvent => ({
      type: 'presence',
      tenantId,
      userId: 'p1',
      availability,
      activity: availability,
      subscriptionId: 'graph-sub-1',
      receivedAt: NOW,
    });
    await handle([event('tenant-2', 'Busy'), event('TENANT-1', 'Away')], signals);
    const rows = await fixture.store.db.selectFrom('presence_changes').selectAll().execute();
    assert.deepEqual(
      rows.map((r) => [r.tenant_id, r.to_availability]),
      [['tenant-1', 'Away']],
    );
    assert.equal((await getPresenceStates(fixture.store.db, 'tenant-2', ['p1'])).size, 0);
  });

  it('orders presence by Graph’s sequence number, not by when a notification arrived', async () => {
    const { signals } = recordingSignals();
    const event = (availability: string, receivedAt: number, sequenceNumber: string) =>
      ({
        type: 'presence',
        tenantId: 'tenant-1',
        userId: 'p1',
        availability,
        activity: availability,
        sequenceNumber,
        subscriptionId: 'graph-sub-1',
        receivedAt,
      }) satisfies NotificationEvent;
    await handle([event('Busy', NOW, '0000000002')], signals);
    await handle([event('Away', NOW + 5_000, '0000000001')], signals);
    await handle([event('Available', NOW + 6_000, '0000000003')], signals);
    const rows = await fixture.store.db.selectFrom('presence_changes').selectAll().execute();
    assert.deepEqual(
      rows.map((r) => r.to_availability),
      ['Busy', 'Available'],
    );
    const states = await getPresenceStates(fixture.store.db, 'tenant-1', ['p1']);
    assert.equal(states.get('p1')?.sequence, '0000000003');
  });

  it('without sequence numbers, has a differing notification that follows another closely confirmed by a read, not applied', async () => {
    const { calls, signals } = recordingSignals();
    const event = (availability: string, receivedAt: number): NotificationEvent => ({
      type: 'presence',
      tenantId: 'tenant-1',
      userId: 'p1',
      availability,
      activity: availability,
      subscriptionId: 'graph-sub-1',
      receivedAt,
    });
    await handle([event('Available', NOW)], signals);
    await handle([event('Offline', NOW + 300)], signals);
    await handle([event('Available', NOW + 400)], signals);
    const rows = () => fixture.store.db.selectFrom('presence_changes').selectAll().execute();
    assert.deepEqual(
      (await rows()).map((r) => r.to_availability),
      ['Available'],
    );
    assert.equal(
      (await getPresenceStates(fixture.store.db, 'tenant-1', ['p1'])).get('p1')?.availability,
      'Available',
    );
    assert.deepEqual(calls, ['confirm tenant-1 p1 owner-1']);
    await handle([event('Busy', NOW + 400 + ORDER_DOUBT_WINDOW_MS)], signals);
    assert.deepEqual(
      (await rows()).map((r) => r.to_availability),
      ['Available', 'Busy'],
    );
    assert.equal(calls.length, 1, 'a change after a quiet window is applied at once');
  });

  it('makes reauthorizationRequired and subscriptionRemoved due now and wakes the keeper', async () => {
    const { calls, signals } = recordingSignals();
    await handle([lifecycle('reauthorizationRequired')], signals);
    assert.equal((await getSubscription(fixture.store.db, OWNER))?.nextActionAt, NOW);
    await handle([lifecycle('subscriptionRemoved')], signals);
    assert.deepEqual(calls, ['wake', 'removed graph-sub-1', 'wake']);
  });

  it('asks for a resync of the covered people on missed', async () => {
    const { calls, signals } = recordingSignals();
    await handle([lifecycle('missed')], signals);
    assert.deepEqual(calls, ['resync tenant-1 p1,p2 owner-1', 'wake']);
    assert.equal((await getSubscription(fixture.store.db, OWNER))?.nextActionAt, NOW + 40 * 60_000);
  });

  it('ignores unknown lifecycle events and unknown subscriptions', async () => {
    const { calls, signals } = recordingSignals();
    await handle([lifecycle('somethingNew'), lifecycle('missed', 'not-ours')], signals);
    assert.deepEqual(calls, []);
    assert.equal((await getSubscription(fixture.store.db, OWNER))?.nextActionAt, NOW + 40 * 60_000);
  });
});
