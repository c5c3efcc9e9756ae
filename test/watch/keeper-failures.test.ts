import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { notificationUrlOf } from '../../src/watch/keeper-config';
import {
  ALEX_ID,
  graphCall,
  MEGAN_ID,
  presenceSubscriptionBody,
  subscriberCertificate,
} from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;
const megan = MEGAN_ID.toLowerCase();

describe('subscription keeper: Graph failures', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness();
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
  });
  afterEach(() => h.close());

  it('on 409 deletes the stale subscription of ours and creates a new one', async () => {
    const token = await h.tokens.getToken(h.tenantId, ALEX_ID);
    const body = presenceSubscriptionBody(
      h.sim,
      notificationUrlOf(h.config),
      [MEGAN_ID],
      await subscriberCertificate(),
    );
    const stale = await graphCall(h.sim, token, 'POST', '/subscriptions', body);
    assert.equal(stale.status, 201);

    const pass = await h.keeper().runOnce();

    assert.equal(pass.actions.create, 1);
    const live = h.live();
    assert.equal(live.length, 1);
    assert.notEqual(live[0]?.id, stale.body.id);
    assert.equal((await h.rows())[0]?.graphSubscriptionId, live[0]?.id);
    const routes = h.sim.counters().routes;
    assert.equal(routes['GET /v1.0/subscriptions'], 1);
    assert.equal(routes['DELETE /v1.0/subscriptions/:id'], 1);
    assert.equal(routes['POST /v1.0/subscriptions'], 3);
  });

  it('on 404 at renewal creates the subscription again and resyncs the gap once', async () => {
    const keeper = h.keeper();
    await keeper.runOnce();
    const first = h.live()[0];
    const token = await h.tokens.getToken(h.tenantId, ALEX_ID);
    await graphCall(h.sim, token, 'DELETE', `/subscriptions/${first?.id ?? ''}`);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.doNotDisturb, false);
    h.sim.clock.advance(44 * MINUTE);

    const pass = await keeper.runOnce();

    assert.equal(pass.actions.renew, 1);
    assert.equal(pass.actions.create, 1);
    assert.equal(h.live().length, 1);
    assert.notEqual(h.live()[0]?.id, first?.id);
    await keeper.queueFullResync();
    await keeper.runOnce();
    const gapChanges = (await h.changes()).filter((c) => c.to === 'DoNotDisturb');
    assert.deepEqual(gapChanges, [
      { userId: megan, from: 'Available', to: 'DoNotDisturb', source: 'resync' },
    ]);
  });

  it('on 429 waits at least Retry-After (with jitter) before trying again', async () => {
    h.sim.faults.setRouteFault('POST /v1.0/subscriptions', {
      throttleShare: 1,
      retryAfterSeconds: 120,
    });
    const keeper = h.keeper();
    const started = h.sim.clock.now();
    await keeper.runOnce();
    const [row] = await h.rows();
    assert.equal(row?.lastErrorCode, 'GRAPH_THROTTLED');
    assert.ok((row?.nextActionAt ?? 0) >= started + 120_000);
    await keeper.runOnce();
    h.sim.faults.clearFaults();
    h.sim.clock.advance(100_000);
    await keeper.runOnce();
    assert.equal(h.sim.counters().routes['POST /v1.0/subscriptions'], 1);
    assert.equal(h.live().length, 0);

    h.sim.clock.advance(60_000);
    const pass = await keeper.runOnce();
    assert.equal(pass.actions.create, 1);
    assert.equal(h.live().length, 1);
  });

  it('on 503 backs off exponentially and never retries in a tight loop', async () => {
    h.sim.faults.setRouteFault('POST /v1.0/subscriptions', { unavailableShare: 1 });
    const keeper = h.keeper();
    const delays: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const before = h.sim.clock.now();
      await keeper.runOnce();
      await keeper.runOnce();
      const [row] = await h.rows();
      assert.equal(row?.lastErrorCode, 'GRAPH_UNAVAILABLE');
      delays.push((row?.nextActionAt ?? 0) - before);
      h.sim.clock.advance((row?.nextActionAt ?? 0) - before);
    }
    assert.equal(h.sim.counters().routes['POST /v1.0/subscriptions'], 3);
    assert.ok(delays[0]! >= 5_000 && delays[1]! >= 2 * delays[0]! - 100 && delays[2]! > delays[1]!);

    h.sim.faults.clearFaults();
    const pass = await keeper.runOnce();
    assert.equal(pass.actions.create, 1);
    assert.equal(h.live().length, 1);
  });
});
