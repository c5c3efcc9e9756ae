import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;
const megan = MEGAN_ID.toLowerCase();

describe('subscription keeper: liveness check', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  afterEach(() => h.close());

  it('notices a subscription lost without a lifecycle event within the check interval', async () => {
    h = await startKeeperHarness({ config: { livenessCheckMs: 10 * MINUTE } });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const keeper = h.keeper();
    await keeper.runOnce();
    const lost = h.live()[0]!;
    assert.ok(h.sim.loseSubscription(lost.id));
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.doNotDisturb, false);

    h.sim.clock.advance(9 * MINUTE);
    assert.equal((await keeper.runOnce()).actions.create, 0);
    h.sim.clock.advance(1 * MINUTE);
    const pass = await keeper.runOnce();

    assert.equal(pass.actions.create, 1);
    assert.equal(h.live().length, 1);
    assert.notEqual(h.live()[0]?.id, lost.id);
    assert.equal(h.sim.counters().counters['lifecycle.subscriptionRemoved'], undefined);
    assert.deepEqual(
      (await h.changes()).filter((c) => c.to === 'DoNotDisturb'),
      [{ userId: megan, from: 'Available', to: 'DoNotDisturb', source: 'resync' }],
    );
  });

  it('costs one PATCH per subscription per interval, which is also its renewal', async () => {
    h = await startKeeperHarness({ config: { livenessCheckMs: 15 * MINUTE } });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const keeper = h.keeper();
    await keeper.runOnce();
    for (let minute = 0; minute < 60; minute += 1) {
      h.sim.clock.advance(MINUTE);
      await keeper.runOnce();
    }
    const routes = h.sim.counters().routes;
    assert.equal(routes['PATCH /v1.0/subscriptions/:id'], 4);
    assert.equal(routes['POST /v1.0/subscriptions'], 1);
    assert.equal(routes['GET /v1.0/subscriptions'], undefined);
  });

  it('leaves renewals to the renewal lead when the check is off', async () => {
    h = await startKeeperHarness({ config: { livenessCheckMs: 0 } });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const keeper = h.keeper();
    await keeper.runOnce();
    for (let minute = 0; minute < 60; minute += 1) {
      h.sim.clock.advance(MINUTE);
      await keeper.runOnce();
    }
    assert.equal(h.sim.counters().routes['PATCH /v1.0/subscriptions/:id'], 1);
  });
});
