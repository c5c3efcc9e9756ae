import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { scaledTimers } from '../../src/background/timers';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { eventually } from '../helpers/sim-webhook';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function uncovered(h: KeeperHarness, watched: ReadonlySet<string>): string[] {
  const covered = new Set(h.live().flatMap((s) => [...s.userIds]));
  return [...watched].filter((id) => !covered.has(id.toLowerCase()));
}

describe('subscription keeper: three simulated hours', function () {
  this.timeout(60_000);
  let h: KeeperHarness;

  afterEach(() => h.close());

  it('keeps every watched person covered while watches come and go, with the expected calls', async () => {
    h = await startKeeperHarness();
    const keeper = h.keeper();
    const watched = new Set([MEGAN_ID]);
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const script = new Map<number, () => Promise<void>>([
      [30, () => h.watch('conv-1', ALEX_ID, ADELE_ID).then(() => void watched.add(ADELE_ID))],
      [90, () => h.unwatch('conv-1', ADELE_ID).then(() => void watched.delete(ADELE_ID))],
      [150, () => h.watch('conv-2', ADELE_ID, MEGAN_ID)],
    ]);
    for (let minute = 0; minute <= 180; minute += 5) {
      await script.get(minute)?.();
      if (script.has(minute)) keeper.requestReplan(h.tenantId);
      await keeper.runOnce();
      h.sim.clock.advance(h.config.debounceMs);
      await keeper.runOnce();
      assert.deepEqual(uncovered(h, watched), [], `uncovered at minute ${minute}`);
      h.sim.clock.advance(5 * MINUTE - h.config.debounceMs);
    }

    const { counters, routes } = h.sim.counters();
    assert.equal(counters['subscriptions.expired'], undefined);
    assert.equal(routes['POST /v1.0/subscriptions'], 4);
    assert.equal(routes['DELETE /v1.0/subscriptions/:id'], 2);
    assert.ok((routes['PATCH /v1.0/subscriptions/:id'] ?? 0) >= 2);
    assert.equal(h.live().length, 2);
  });

  it('runs on its own timers at 3000x: renews for two hours without a lapse', async () => {
    h = await startKeeperHarness({ simulator: { clockSpeed: 3000 } });
    const keeper = h.keeper({ timers: scaledTimers(() => h.sim.clock.speed()) });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const start = h.sim.clock.now();
    keeper.start();
    keeper.wake();
    await eventually(() => h.live().length === 1);
    await eventually(() => h.sim.clock.now() > start + 2 * HOUR);

    const { counters, routes } = h.sim.counters();
    assert.equal(counters['subscriptions.expired'], undefined);
    assert.equal(counters['subscriptions.created'], 1);
    assert.ok((routes['PATCH /v1.0/subscriptions/:id'] ?? 0) >= 2);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.beRightBack);
    assert.equal((await h.changes()).at(-1)?.to, 'BeRightBack');
    await keeper.stop();
  });
});
