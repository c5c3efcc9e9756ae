import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  getSubscription,
  getSubscriptionByGraphId,
  getSubscriptionOwnerByGraphId,
  listSubscriptions,
  scheduleSubscriptionAction,
  upsertDesiredCoverage,
} from '../../src/store/graph-subscriptions';
import { createStoreKeyRing } from '../../src/store/store-keys';
import {
  markSubscriptionState,
  recordSubscriptionCreated,
  recordSubscriptionDeleted,
  recordSubscriptionFailed,
  recordSubscriptionRenewed,
} from '../../src/store/subscription-outcomes';
import { generateClientState } from '../../src/store/subscription-secrets';
import { forEachEngine } from '../helpers/for-each-engine';
import { claimAs, desire, LEASE_MS, NOW } from './subscription-fixtures';

const HOUR = 3_600_000;
const owner = { tenantId: 't1', ownerId: 'owner-1' };

forEachEngine('graph subscriptions: desired coverage', (fixture) => {
  it('creates a dirty row in creating for a new owner, ids canonical, due after the debounce', async () => {
    const record = await upsertDesiredCoverage(fixture.store.db, {
      ...owner,
      ownerId: 'OWNER-1',
      desiredIds: ['B', 'a', 'b'],
      now: NOW,
      debounceMs: 2000,
    });
    assert.deepEqual(record, {
      tenantId: 't1',
      ownerId: 'owner-1',
      graphSubscriptionId: null,
      coveredIds: [],
      desiredIds: ['a', 'b'],
      hasClientState: false,
      certificateId: null,
      expiresAt: null,
      state: 'creating',
      lastErrorCode: null,
      attempts: 0,
      nextActionAt: NOW + 2000,
      leaseOwner: null,
      leaseUntil: null,
      dirtySince: NOW,
      updatedAt: NOW,
    });
    assert.deepEqual(await getSubscription(fixture.store.db, owner), record);
  });

  it('stores nothing for an unknown owner who wants nothing', async () => {
    const record = await upsertDesiredCoverage(fixture.store.db, {
      ...owner,
      desiredIds: [],
      now: NOW,
    });
    assert.equal(record, undefined);
    assert.deepEqual(await listSubscriptions(fixture.store.db), []);
  });

  it('keeps the first dirty time across changes, so changes in the window become one recreate', async () => {
    await activeSubscription(['a']);
    const first = await upsertDesiredCoverage(fixture.store.db, {
      ...owner,
      desiredIds: ['a', 'b'],
      now: NOW + 100,
      debounceMs: 5000,
    });
    assert.equal(first?.dirtySince, NOW + 100);
    assert.equal(first?.nextActionAt, NOW + 5100);
    const second = await upsertDesiredCoverage(fixture.store.db, {
      ...owner,
      desiredIds: ['a', 'b', 'c'],
      now: NOW + 3000,
      debounceMs: 5000,
    });
    assert.equal(second?.dirtySince, NOW + 100);
    assert.equal(second?.nextActionAt, NOW + 5100);
    assert.deepEqual(second?.desiredIds, ['a', 'b', 'c']);
  });

  it('is clean again when the wish returns to what is covered, without moving the due time', async () => {
    await activeSubscription(['a']);
    await upsertDesiredCoverage(fixture.store.db, {
      ...owner,
      desiredIds: ['a', 'b'],
      now: NOW + 100,
    });
    const back = await upsertDesiredCoverage(fixture.store.db, {
      ...owner,
      desiredIds: ['A'],
      now: NOW + 200,
    });
    assert.equal(back?.dirtySince, null);
    assert.equal(back?.nextActionAt, NOW + 100);
  });

  it('schedules an earlier action but never a later one', async () => {
    await activeSubscription(['a']);
    assert.equal(await scheduleSubscriptionAction(fixture.store.db, owner, NOW + 10), true);
    assert.equal(await scheduleSubscriptionAction(fixture.store.db, owner, NOW + HOUR), true);
    assert.equal((await getSubscription(fixture.store.db, owner))?.nextActionAt, NOW + 10);
    assert.equal(
      await scheduleSubscriptionAction(fixture.store.db, { ...owner, ownerId: 'x' }, NOW),
      false,
    );
  });

  async function activeSubscription(covered: string[]) {
    await desire(fixture.store.db, owner.ownerId, covered);
    await claimAs(fixture.store.db, 'keeper');
    return recordSubscriptionCreated(fixture.store.db, createStoreKeyRing(randomBytes(32)), {
      ...owner,
      leaseOwner: 'keeper',
      now: NOW,
      graphSubscriptionId: 'graph-1',
      coveredIds: covered,
      clientState: generateClientState(),
      certificateId: 'cert-1',
      expiresAt: NOW + HOUR,
      nextActionAt: NOW + HOUR / 2,
    });
  }
});

forEachEngine('graph subscriptions: outcomes', (fixture) => {
  const storeKey = createStoreKeyRing(randomBytes(32));
  const leased = { ...owner, leaseOwner: 'keeper', now: NOW + 10 };
  const created = {
    ...leased,
    graphSubscriptionId: 'graph-1',
    coveredIds: ['b', 'A'],
    clientState: generateClientState(),
    certificateId: 'cert-1',
    expiresAt: NOW + HOUR,
    nextActionAt: NOW + HOUR - 5 * 60_000,
  };

  beforeEach(async () => {
    await desire(fixture.store.db, owner.ownerId, ['a', 'b']);
    await claimAs(fixture.store.db, 'keeper');
  });

  it('records a creation: active, covered, sealed clientState, lease released, clean', async () => {
    const record = await recordSubscriptionCreated(fixture.store.db, storeKey, created);
    assert.ok(record);
    assert.deepEqual(
      {
        state: record.state,
        graph: record.graphSubscriptionId,
        covered: record.coveredIds,
        hasClientState: record.hasClientState,
        lease: [record.leaseOwner, record.leaseUntil],
        attempts: record.attempts,
        dirty: record.dirtySince,
        next: record.nextActionAt,
      },
      {
        state: 'active',
        graph: 'graph-1',
        covered: ['a', 'b'],
        hasClientState: true,
        lease: [null, null],
        attempts: 0,
        dirty: null,
        next: created.nextActionAt,
      },
    );
    assert.deepEqual(await getSubscriptionByGraphId(fixture.store.db, 'graph-1'), record);
    assert.deepEqual(await getSubscriptionOwnerByGraphId(fixture.store.db, 'graph-1'), owner);
    assert.equal(await getSubscriptionOwnerByGraphId(fixture.store.db, 'graph-2'), undefined);
  });

  it('stays dirty when the wish changed while Graph created the subscription', async () => {
    await upsertDesiredCoverage(fixture.store.db, {
      ...owner,
      desiredIds: ['a', 'b', 'c'],
      now: NOW + 5,
    });
    const record = await recordSubscriptionCreated(fixture.store.db, storeKey, created);
    assert.equal(record?.dirtySince, NOW);
  });

  it('refuses outcomes from a keeper that no longer holds the lease', async () => {
    await claimAs(fixture.store.db, 'other', NOW + LEASE_MS);
    assert.equal(await recordSubscriptionCreated(fixture.store.db, storeKey, created), undefined);
    assert.equal(await markSubscriptionState(fixture.store.db, leased, 'renewing'), false);
    assert.equal(
      await recordSubscriptionDeleted(fixture.store.db, { ...leased, nextActionAt: NOW }),
      'lease-lost',
    );
    assert.equal((await getSubscription(fixture.store.db, owner))?.leaseOwner, 'other');
  });

  it('records renewals and failures, keeping attempts until a success', async () => {
    await recordSubscriptionCreated(fixture.store.db, storeKey, created);
    await claimAs(fixture.store.db, 'keeper', created.nextActionAt);
    assert.equal(await markSubscriptionState(fixture.store.db, leased, 'renewing'), true);
    const throttled = await recordSubscriptionFailed(fixture.store.db, {
      ...leased,
      errorCode: 'GRAPH_THROTTLED',
      nextActionAt: created.nextActionAt + 30_000,
    });
    assert.deepEqual(
      [throttled?.state, throttled?.lastErrorCode, throttled?.attempts, throttled?.leaseOwner],
      ['renewing', 'GRAPH_THROTTLED', 1, null],
    );
    await claimAs(fixture.store.db, 'keeper', created.nextActionAt + 30_000);
    const renewed = await recordSubscriptionRenewed(fixture.store.db, {
      ...leased,
      expiresAt: NOW + 2 * HOUR,
      nextActionAt: NOW + 2 * HOUR - 300_000,
    });
    assert.deepEqual(
      [renewed?.state, renewed?.lastErrorCode, renewed?.attempts, renewed?.expiresAt],
      ['active', null, 0, NOW + 2 * HOUR],
    );
  });

  it('forgets a subscription Graph no longer has, and marks auth failures', async () => {
    await recordSubscriptionCreated(fixture.store.db, storeKey, created);
    await claimAs(fixture.store.db, 'keeper', created.nextActionAt);
    const gone = await recordSubscriptionFailed(fixture.store.db, {
      ...leased,
      errorCode: 'GRAPH_UNAUTHORIZED',
      state: 'failed-auth',
      subscriptionGone: true,
      nextActionAt: NOW + HOUR,
    });
    assert.deepEqual(
      [gone?.state, gone?.graphSubscriptionId, gone?.coveredIds, gone?.hasClientState],
      ['failed-auth', null, [], false],
    );
    assert.equal(gone?.dirtySince, leased.now);
    assert.equal(await getSubscriptionByGraphId(fixture.store.db, 'graph-1'), undefined);
  });

  it('keeps a deleted subscription for its recreate while ids are still desired', async () => {
    await recordSubscriptionCreated(fixture.store.db, storeKey, created);
    await upsertDesiredCoverage(fixture.store.db, { ...owner, desiredIds: ['c'], now: NOW + 20 });
    await claimAs(fixture.store.db, 'keeper', created.nextActionAt);
    const outcome = await recordSubscriptionDeleted(fixture.store.db, {
      ...leased,
      nextActionAt: NOW + 30,
    });
    assert.equal(outcome, 'cleared');
    const record = await getSubscription(fixture.store.db, owner);
    assert.deepEqual(
      [record?.state, record?.graphSubscriptionId, record?.coveredIds, record?.desiredIds],
      ['creating', null, [], ['c']],
    );
    assert.equal(record?.nextActionAt, NOW + 30);
    assert.equal(record?.leaseOwner, null);
  });

  it('removes the row once a deleted subscription covers nothing anyone wants', async () => {
    await recordSubscriptionCreated(fixture.store.db, storeKey, created);
    await upsertDesiredCoverage(fixture.store.db, { ...owner, desiredIds: [], now: NOW + 20 });
    await claimAs(fixture.store.db, 'keeper', NOW + 20);
    assert.equal(await markSubscriptionState(fixture.store.db, leased, 'deleting'), true);
    assert.equal(
      await recordSubscriptionDeleted(fixture.store.db, { ...leased, nextActionAt: NOW }),
      'removed',
    );
    assert.deepEqual(await listSubscriptions(fixture.store.db), []);
  });

  it('lists subscriptions by tenant and owner', async () => {
    await desire(fixture.store.db, 'owner-0', ['x']);
    await desire(fixture.store.db, 'owner-9', ['x'], NOW, 't0');
    const all = await listSubscriptions(fixture.store.db);
    assert.deepEqual(
      all.map((r) => `${r.tenantId}/${r.ownerId}`),
      ['t0/owner-9', 't1/owner-0', 't1/owner-1'],
    );
    assert.equal((await listSubscriptions(fixture.store.db, 't1')).length, 2);
  });
});
