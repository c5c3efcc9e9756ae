import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { getPresenceStates } from '../../src/store/presence-state';
import { isSigninAlertRaised } from '../../src/store/signin-alerts';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;
const megan = MEGAN_ID.toLowerCase();

describe('subscription keeper: lifecycle events', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness();
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
  });
  afterEach(() => h.close());

  it('subscriptionRemoved: creates it again and reports the change made in the gap once', async () => {
    const keeper = h.keeper();
    await keeper.runOnce();
    const first = h.live()[0]?.id ?? '';
    h.sim.triggerLifecycle(first, 'subscriptionRemoved');
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy, false);

    const pass = await keeper.runOnce();

    assert.equal(pass.actions.create, 1);
    assert.equal(h.live().length, 1);
    assert.notEqual(h.live()[0]?.id, first);
    assert.equal(h.sim.counters().routes['PATCH /v1.0/subscriptions/:id'], undefined);
    await keeper.queueFullResync();
    await keeper.runOnce();
    const busy = (await h.changes()).filter((c) => c.to === 'Busy');
    assert.deepEqual(busy, [{ userId: megan, from: 'Available', to: 'Busy', source: 'resync' }]);
  });

  it('missed: resyncs the covered people and reports a dropped change once', async () => {
    const keeper = h.keeper();
    await keeper.runOnce();
    h.sim.faults.setDeliveryDropShare(1);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.away, false);
    h.sim.faults.clearFaults();
    assert.equal((await h.changes()).filter((c) => c.to === 'Away').length, 0);
    h.sim.triggerLifecycle(h.live()[0]?.id ?? '', 'missed');
    await h.settle();

    const pass = await keeper.runOnce();

    assert.equal(pass.resync.changes, 1);
    await keeper.runOnce();
    const away = (await h.changes()).filter((c) => c.to === 'Away');
    assert.deepEqual(away, [{ userId: megan, from: 'Available', to: 'Away', source: 'resync' }]);
    assert.equal(h.sim.counters().counters['subscriptions.created'], 1);
    const stored = await getPresenceStates(h.store.db, h.tenantId, [megan]);
    assert.equal(stored.get(megan)?.sequence, h.sim.getPresence(MEGAN_ID).sequenceNumber);
  });

  it('reauthorizationRequired: renews right away', async () => {
    const keeper = h.keeper();
    await keeper.runOnce();
    h.sim.triggerLifecycle(h.live()[0]?.id ?? '', 'reauthorizationRequired');
    await h.settle();
    const pass = await keeper.runOnce();
    assert.equal(pass.actions.renew, 1);
    assert.equal(h.sim.counters().routes['PATCH /v1.0/subscriptions/:id'], 1);
  });
});

describe('subscription keeper: revoked consent', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness({ config: { redundancy: 1 } });
  });
  afterEach(() => h.close());

  it('moves coverage to another watcher and raises the sign-in alert once', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    await h.watch('conv-2', ADELE_ID, MEGAN_ID);
    const keeper = h.keeper();
    await keeper.runOnce();
    assert.equal(h.live()[0]?.creatorId.toLowerCase(), ALEX_ID.toLowerCase());

    h.sim.revokeConsent(ALEX_ID);
    await h.settle();
    await keeper.runOnce();

    const byAdele = h.live().filter((s) => s.creatorId.toLowerCase() === ADELE_ID.toLowerCase());
    assert.equal(byAdele.length, 1);
    assert.deepEqual([...(byAdele[0]?.userIds ?? [])], [megan]);
    assert.deepEqual(h.signIns, [
      {
        tenantId: h.tenantId,
        userId: ALEX_ID.toLowerCase(),
        conversationIds: ['conv-1'],
        errorCode: 'TOKEN_UNAVAILABLE',
      },
    ]);
    for (let check = 0; check < 3; check += 1) {
      h.sim.clock.advance(16 * MINUTE);
      await keeper.runOnce();
    }
    assert.equal(h.signIns.length, 1);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
    assert.equal((await h.changes()).at(-1)?.to, 'Busy');
  });

  it('without another watcher: alerts once, then recovers after the user signs in again', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const keeper = h.keeper();
    await keeper.runOnce();
    h.sim.revokeConsent(ALEX_ID);
    await h.settle();
    await keeper.runOnce();
    const [failed] = await h.rows();
    assert.equal(failed?.state, 'failed-auth');
    assert.equal(h.signIns.length, 1);
    h.sim.clock.advance(16 * MINUTE);
    await keeper.runOnce();
    assert.equal(h.signIns.length, 1);
    assert.equal(await isSigninAlertRaised(h.store.db, h.tenantId, ALEX_ID), true);

    await h.tokens.signIn(ALEX_ID);
    h.sim.clock.advance(16 * MINUTE);
    await keeper.runOnce();

    assert.equal(await isSigninAlertRaised(h.store.db, h.tenantId, ALEX_ID), false);
    const live = h.live();
    assert.equal(live.length, 1);
    assert.equal((await h.rows())[0]?.graphSubscriptionId, live[0]?.id);
    assert.equal((await h.rows())[0]?.state, 'active');
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
    assert.equal((await h.changes()).at(-1)?.source, 'notification');
  });
});
