import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '../../tools/simulator/seeded-random';
import { scaledTimers } from '../../src/background/timers';
import { eventually } from '../helpers/sim-webhook';
import { startKeeperHarness, type KeeperHarness } from '../watch/keeper-harness';
import { coveredPeople } from './graph-faults-coverage';
import { backwardsChanges, wrongFinalStates } from './presence-order-audit';
import {
  planChanges,
  playChanges,
  watchInPairs,
  writeOrganisation,
} from './presence-order-scenario';
import { recordFigure } from './resilience-figures';

const SUITE = 'presence order';
const CHANGES = 10_000;
const PEOPLE = 1_000;
/** Two pairs of watchers: every person is covered by two subscriptions (redundancy 2). */
const WATCHERS = 4;
/** Each person changes on average every 2 simulated minutes: 10,000 changes take ~20 minutes. */
const MEAN_INTERVAL_MS = 2 * 60_000;
/**
 * Simulated ms per real ms: the 20 simulated minutes take about two real ones. Simulator, receiver
 * and keeper share one process here, so a stall of the process stretches into simulated time: kept
 * low enough that a 1 s stall stays well inside Graph's lateness of a few seconds.
 */
const CLOCK_SPEED = 10;
const DELIVERY_FAULT = {
  delayShare: 0.1,
  minDelayMs: 300,
  maxDelayMs: 30_000,
  duplicateShare: 0.05,
};
/**
 * Real ms the simulator waits for the webhook's answer. The receiver shares this process with the
 * simulator and the keeper, so on a loaded machine a stall of the whole process would otherwise
 * count as a slow webhook and add Graph's retries to the faults under test.
 */
const HARNESS_DELIVERY_TIMEOUT_MS = 10_000;
const READ_ROUTE = 'POST /v1.0/communications/getPresencesByUserId';

function reads(h: KeeperHarness): number {
  return h.sim.counters().routes[READ_ROUTE] ?? 0;
}

/** Waits until the simulator has nothing left to deliver (retries included) and the bot is idle. */
async function quiesce(h: KeeperHarness): Promise<void> {
  const attempted = (): number => {
    const { counters } = h.sim.counters();
    return (counters.notificationsDelivered ?? 0) + (counters.notificationsFailed ?? 0);
  };
  let before = -1;
  while (before !== attempted()) {
    before = attempted();
    await h.settle();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

describe('resilience: presence order without sequence numbers', function () {
  this.timeout(300_000);
  let h: KeeperHarness;
  let dir: string;

  after(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`${CHANGES.toLocaleString('en-US')} changes, redundancy 2, 10 % of deliveries 0.3–30 s late, 5 % duplicated: no wrong final state, no step backwards, ≤ 0.1 extra reads per change`, async () => {
    const realStart = Date.now();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pw-order-'));
    const org = await writeOrganisation(dir, PEOPLE, WATCHERS);
    h = await startKeeperHarness({
      simulator: {
        seedFile: org.file,
        clockSpeed: CLOCK_SPEED,
        randomSeed: 14,
        deliveryTimeoutMs: HARNESS_DELIVERY_TIMEOUT_MS,
      },
    });
    await watchInPairs(h, org.people, org.watchers);
    const keeper = h.keeper({ timers: scaledTimers(() => h.sim.clock.speed()) });
    keeper.start();
    await eventually(() => coveredPeople(h.sim).size === PEOPLE);
    await eventually(() => reads(h) >= 2);
    await quiesce(h);
    const coveredTwice = org.people.filter(
      (id) => h.live().filter((s) => s.userIds.has(id)).length === 2,
    ).length;
    h.sim.faults.setDeliveryFault(DELIVERY_FAULT);
    const readsBefore = reads(h);
    const start = h.sim.clock.now();

    const plan = planChanges(org.people, CHANGES, MEAN_INTERVAL_MS, seededRandom(1_000));
    const history = await playChanges(h, org.people, plan, start);
    const simulatedMinutes = Math.round((h.sim.clock.now() - start) / 60_000);
    await quiesce(h);
    await keeper.stop();

    const wrong = await wrongFinalStates(h, org.people);
    const backwards = await backwardsChanges(h.store, history);
    const extraReads = reads(h) - readsBefore;
    const { counters } = h.sim.counters();
    const recorded = await h.store.db
      .selectFrom('presence_changes')
      .select(['source'])
      .where('created_at', '>=', start)
      .execute();
    const bySource = (source: string): number => recorded.filter((r) => r.source === source).length;
    const record = (figure: string, value: string | number, target = ''): void =>
      recordFigure(SUITE, figure, value, target);
    record(
      'changes made / people / simulated minutes',
      `${CHANGES} / ${PEOPLE} / ${simulatedMinutes}`,
    );
    record('people covered by 2 subscriptions', coveredTwice, String(PEOPLE));
    record(
      'notifications delivered / delayed / duplicated',
      `${counters.notificationsDelivered ?? 0} / ${counters.notificationsDelayed ?? 0} / ${counters.notificationsDuplicated ?? 0}`,
    );
    record(
      'changes recorded from notifications / from reads',
      `${bySource('notification')} / ${bySource('resync')}`,
    );
    record(
      'deliveries retried / timed out',
      `${counters.notificationsRetried ?? 0} / ${counters.deliveryTimeouts ?? 0}`,
    );
    record('wrong final states', wrong.length, '0');
    record('changes (cards) that move someone backwards', backwards.length, '0');
    record('extra getPresencesByUserId calls', extraReads);
    record('extra reads per change', (extraReads / CHANGES).toFixed(3), '≤ 0.1');
    record('real seconds', Math.round((Date.now() - realStart) / 1000));

    assert.equal(coveredTwice, PEOPLE);
    assert.ok(
      (counters.notificationsDelayed ?? 0) > 0 && (counters.notificationsDuplicated ?? 0) > 0,
    );
    assert.deepEqual(wrong.slice(0, 5), []);
    assert.deepEqual(backwards.slice(0, 5), []);
    assert.ok(extraReads / CHANGES <= 0.1, `${extraReads} reads for ${CHANGES} changes`);
  });
});
