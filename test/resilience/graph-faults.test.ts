import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { DEFAULT_KEEPER_CONFIG } from '../../src/watch/keeper-config';
import { scaledTimers } from '../../src/background/timers';
import { eventually } from '../helpers/sim-webhook';
import { startKeeperHarness, type KeeperHarness } from '../watch/keeper-harness';
import { logGraphCalls, type GraphCallLog } from './graph-call-log';
import { coveredPeople, recordCoverage, type CoverageGap } from './graph-faults-coverage';
import {
  at,
  castOf,
  gapBoundMs,
  LIFECYCLE_STEPS,
  performStep,
  REVOKED_WATCHER,
  SOLE_WATCHED_PERSON,
  watchEveryone,
} from './graph-faults-scenario';
import { recordFigure } from './resilience-figures';

const SUITE = 'graph faults';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const RUN_MS = 3 * HOUR;
const REVOKE_AT_MS = HOUR;
/** Simulated ms per real ms: three simulated hours take about 27 real seconds. */
const CLOCK_SPEED = 400;
const SAMPLE_EVERY_REAL_MS = 2;
const FAULTS = {
  throttleShare: 0.1,
  retryAfterSeconds: 30,
  unavailableShare: 0.05,
  latencyMs: 2 * SECOND,
};
/** Five failed calls in a row for one recovery (0.145^5 ≈ 6e-5 at these shares). */
const GAP_BOUND_MS = gapBoundMs(DEFAULT_KEEPER_CONFIG, {
  retryAfterMs: FAULTS.retryAfterSeconds * SECOND,
  latencyMs: FAULTS.latencyMs,
  failuresInARow: 5,
  noticeMs: MINUTE,
});

async function untilSimTime(h: KeeperHarness, time: number): Promise<void> {
  await eventually(() => h.sim.clock.now() >= time);
}

/** The gap was closed by a create the keeper followed, within the bound, by a read of that person. */
function followedByResync(gap: CoverageGap, log: GraphCallLog): boolean {
  const create = log.creates.find((c) => c.endedAt >= gap.lastUncovered && c.ids.has(gap.personId));
  if (!create) return false;
  return resyncedWithin(log, gap.personId, create.endedAt, GAP_BOUND_MS);
}

/** A successful read of `personId` that started within `withinMs` after `time`. */
function resyncedWithin(
  log: GraphCallLog,
  personId: string,
  time: number,
  withinMs: number,
): boolean {
  return log.resyncs.some(
    (r) => r.ok && r.startedAt >= time && r.startedAt <= time + withinMs && r.ids.has(personId),
  );
}

describe('resilience: Graph faults from the simulator', function () {
  this.timeout(180_000);
  let h: KeeperHarness;

  afterEach(() => h.close());

  it(`3 simulated hours of 10% 429, 5% 503, 2 s latency, revoked consent, subscriptionRemoved and missed: no gap over ${GAP_BOUND_MS / MINUTE} simulated minutes, each followed by a resync`, async () => {
    const realStart = Date.now();
    h = await startKeeperHarness({ simulator: { clockSpeed: CLOCK_SPEED, randomSeed: 8 } });
    const cast = castOf(h);
    const log = logGraphCalls(h.graph, h.sim);
    await watchEveryone(h, cast);
    h.sim.faults.setRouteFault('*', FAULTS);
    const keeper = h.keeper({ graph: log.graph, timers: scaledTimers(() => h.sim.clock.speed()) });
    keeper.start();
    keeper.wake();
    await eventually(() => cast.people.every((id) => coveredPeople(h.sim).has(id)));

    const start = h.sim.clock.now();
    const coverage = recordCoverage(h.sim, cast.people, SAMPLE_EVERY_REAL_MS);
    const stepTimes: number[] = [];
    const revokedId = at(cast.watchers, REVOKED_WATCHER);
    let revokedLive = -1;
    for (const step of LIFECYCLE_STEPS) {
      if (revokedLive < 0 && step.minute * MINUTE > REVOKE_AT_MS) {
        await untilSimTime(h, start + REVOKE_AT_MS);
        revokedLive = h.live().filter((s) => s.creatorId.toLowerCase() === revokedId).length;
        coverage.markRevoked(revokedId);
        h.sim.revokeConsent(revokedId);
      }
      await untilSimTime(h, start + step.minute * MINUTE);
      stepTimes.push(await performStep(h, cast, step));
    }
    await untilSimTime(h, start + RUN_MS);
    const gaps = coverage.stop();
    await untilSimTime(h, start + RUN_MS + GAP_BOUND_MS);
    const sole = at(cast.people, SOLE_WATCHED_PERSON);
    const finalPerson = at(cast.people, 4);
    await h.setPresence(finalPerson, COMMON_PRESENCES.beRightBack);
    await h.setPresence(sole, COMMON_PRESENCES.doNotDisturb);
    await keeper.stop();

    const { counters, routes } = h.sim.counters();
    const lapses = gaps.filter((g) => !g.closed || g.end - g.start > GAP_BOUND_MS);
    const longest = Math.max(0, ...gaps.map((g) => g.end - g.start));
    const unfollowed = gaps.filter((g) => !followedByResync(g, log));
    const expiredOthers = (counters['subscriptions.expired'] ?? 0) - revokedLive;
    const record = (figure: string, value: string | number, target = ''): void =>
      recordFigure(SUITE, figure, value, target);
    record(`simulated hours (clock ${CLOCK_SPEED}x)`, RUN_MS / HOUR);
    record('real seconds', Math.round((Date.now() - realStart) / SECOND));
    record(
      'Graph calls',
      Object.values(routes).reduce((sum, n) => sum + n, 0),
    );
    record('429s injected', counters['faults.throttled'] ?? 0, '~10% of calls');
    record('503s injected', counters['faults.unavailable'] ?? 0, '~5% of calls');
    record('lifecycle events (removed, missed)', LIFECYCLE_STEPS.length);
    record('lapses beyond bound', lapses.length, '0');
    record(
      'longest gap (simulated s)',
      Math.round(longest / SECOND),
      `<= ${GAP_BOUND_MS / SECOND}`,
    );
    record(
      'gaps followed by resync',
      `${gaps.length - unfollowed.length} of ${gaps.length}`,
      'all',
    );
    record('subscriptions expired (consenting users)', expiredOthers, '0');

    assert.ok((counters['faults.throttled'] ?? 0) > 0 && (counters['faults.unavailable'] ?? 0) > 0);
    assert.deepEqual(lapses, []);
    assert.ok(
      gaps.some((g) => g.personId === sole),
      'a removed subscription left a real gap',
    );
    assert.deepEqual(unfollowed, []);
    assert.equal(revokedLive, 1);
    assert.equal(expiredOthers, 0);
    assert.deepEqual(
      h.signIns.map((e) => [e.userId, e.conversationIds]),
      [[revokedId, [`chat-${REVOKED_WATCHER}`]]],
    );
    const changes = await h.changes();
    const sources = (userId: string, to: string): string[] =>
      changes.filter((c) => c.userId === userId && c.to === to).map((c) => c.source);
    for (const [index, step] of LIFECYCLE_STEPS.entries()) {
      if (!step.change) continue;
      const person = at(cast.people, step.change.person);
      const what = `${step.event} at minute ${step.minute}`;
      const sentAt = at(stepTimes, index);
      assert.ok(resyncedWithin(log, person, sentAt, GAP_BOUND_MS), `${what} was resynced`);
      assert.deepEqual(sources(person, step.change.state.availability), ['resync'], what);
    }
    assert.deepEqual(sources(finalPerson, 'BeRightBack'), ['notification']);
    assert.deepEqual(sources(sole, 'DoNotDisturb'), ['notification']);
  });
});
