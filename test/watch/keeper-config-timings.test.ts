import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { eventually } from '../helpers/sim-webhook';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

describe('subscription keeper: timings from configuration', function () {
  this.timeout(40_000);
  let h: KeeperHarness;

  afterEach(() => h.close());

  it('renews in real time on short configured timings, without a lapse', async () => {
    const timings = loadConfig({
      KEEPER_SUBSCRIPTION_LIFETIME_SECONDS: '120',
      KEEPER_RENEW_LEAD_SECONDS: '112',
      KEEPER_POLL_SECONDS: '1',
      KEEPER_DEBOUNCE_SECONDS: '0',
    }).keeper;
    h = await startKeeperHarness({ config: timings });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const keeper = h.keeper();
    keeper.start();
    await eventually(() => h.live().length === 1);
    const created = h.live()[0]!;
    const firstExpiry = created.expiresAt;
    assert.ok(firstExpiry <= h.sim.clock.now() + 120_000);

    await eventually(() => (h.sim.counters().routes['PATCH /v1.0/subscriptions/:id'] ?? 0) >= 2);

    const { counters, routes } = h.sim.counters();
    assert.equal(routes['POST /v1.0/subscriptions'], 1);
    assert.equal(counters['subscriptions.expired'], undefined);
    assert.equal(h.live()[0]?.id, created.id);
    assert.ok(h.live()[0]!.expiresAt > firstExpiry);
  });
});
