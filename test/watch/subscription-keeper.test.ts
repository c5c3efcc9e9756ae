import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ORDER_DOUBT_WINDOW_MS } from '../../src/store/presence-order';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;

describe('subscription keeper: create, notify, renew, recreate', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness();
  });
  afterEach(() => h.close());

  it('creates a rich subscription for a watch, resyncs, and records notified changes', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const keeper = h.keeper();
    const pass = await keeper.runOnce();
    await h.settle();

    assert.equal(pass.actions.create, 1);
    const [live] = h.live();
    assert.ok(live);
    assert.equal(h.live().length, 1);
    assert.equal(live.creatorId.toLowerCase(), ALEX_ID.toLowerCase());
    assert.deepEqual([...live.userIds], [MEGAN_ID.toLowerCase()]);
    assert.equal(live.includeResourceData, true);
    assert.match(live.notificationUrl, /\/api\/notifications$/);
    assert.match(live.lifecycleNotificationUrl ?? '', /\/api\/lifecycle$/);
    const expiresIn = live.expiresAt - h.sim.clock.now();
    assert.ok(expiresIn > 50 * MINUTE && expiresIn <= 55 * MINUTE, `expires in ${expiresIn}`);
    const [row] = await h.rows();
    assert.equal(row?.graphSubscriptionId, live.id);
    assert.equal(row?.state, 'active');

    h.sim.clock.advance(ORDER_DOUBT_WINDOW_MS);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
    assert.deepEqual(await h.changes(), [
      { userId: MEGAN_ID.toLowerCase(), from: null, to: 'Available', source: 'resync' },
      { userId: MEGAN_ID.toLowerCase(), from: 'Available', to: 'Busy', source: 'notification' },
    ]);
  });

  it('does nothing on a second pass when nothing is due', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const keeper = h.keeper();
    await keeper.runOnce();
    const second = await keeper.runOnce();
    assert.deepEqual(second.actions, {
      'check-sign-in': 0,
      retire: 0,
      create: 0,
      recreate: 0,
      renew: 0,
    });
    assert.equal(h.sim.counters().counters['subscriptions.created'], 1);
  });

  it('renews before expiry and keeps notifications flowing', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const keeper = h.keeper();
    await keeper.runOnce();
    const firstExpiry = h.live()[0]?.expiresAt ?? 0;
    h.sim.clock.advance(44 * MINUTE);
    const pass = await keeper.runOnce();
    assert.equal(pass.actions.renew, 1);
    assert.ok((h.live()[0]?.expiresAt ?? 0) > firstExpiry);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.away);
    const last = (await h.changes()).at(-1);
    assert.deepEqual(last, {
      userId: MEGAN_ID.toLowerCase(),
      from: 'Available',
      to: 'Away',
      source: 'notification',
    });
  });

  it('debounces watch changes into one recreate', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const keeper = h.keeper();
    await keeper.runOnce();
    const firstId = h.live()[0]?.id;
    await h.watch('conv-1', ALEX_ID, ADELE_ID);
    keeper.requestReplan(h.tenantId);
    const early = await keeper.runOnce();
    assert.equal(early.actions.recreate, 0);
    h.sim.clock.advance(4_000);
    await h.watch('conv-2', ALEX_ID, ALEX_ID);
    keeper.requestReplan(h.tenantId);
    await keeper.runOnce();
    h.sim.clock.advance(7_000);
    const pass = await keeper.runOnce();
    assert.equal(pass.actions.recreate, 1);
    assert.equal(pass.actions.create, 1);
    const live = h.live();
    assert.equal(live.length, 1);
    assert.notEqual(live[0]?.id, firstId);
    assert.deepEqual(
      [...(live[0]?.userIds ?? [])].sort(),
      [ADELE_ID, ALEX_ID, MEGAN_ID].map((id) => id.toLowerCase()).sort(),
    );
    assert.equal(h.sim.counters().counters['subscriptions.created'], 2);
    assert.equal(h.sim.counters().counters['subscriptions.deleted'], 1);
  });
});
