import assert from 'node:assert/strict';
import { runKeeperBench } from '../../../tools/bench/keeper-bench';
import type { KeeperBenchFigures } from '../../../tools/bench/keeper-figures';

describe('keeper bench (tiny configuration)', function () {
  this.timeout(120_000);
  let figures: KeeperBenchFigures;

  before(async () => {
    figures = await runKeeperBench({
      scale: 0.02,
      simulatedHours: 1,
      presenceChangesPerHour: 60,
      clockSpeed: 600,
      workerThreads: 0,
    });
  });

  it('brings up subscriptions for the watched people and keeps them all alive', () => {
    assert.equal(figures.watchers, 100);
    assert.equal(figures.peopleWatched, 40);
    assert.ok(figures.subscriptionsAlive > 0);
    assert.equal(figures.subscriptionsAlive, figures.plannedSubscriptions);
    assert.equal(figures.subscriptionsAlive, figures.planner.subscriptions);
  });

  it('delivers at most two notifications per presence change and emits no change twice', () => {
    assert.ok(figures.presenceChanges > 0);
    assert.ok(figures.presenceNotifications >= figures.presenceChanges);
    assert.ok(figures.presenceNotifications <= 2 * figures.presenceChanges);
    assert.ok(figures.changesEmitted > 0);
    assert.ok(figures.changesEmitted <= figures.presenceChanges);
    assert.equal(figures.lostNotifications, 0);
    assert.equal(figures.lapses, 0);
  });

  it('resyncs everyone at start-up in ceil(people / 650) calls', () => {
    assert.equal(figures.expectedResyncCalls, Math.ceil(figures.peopleWatched / 650));
    assert.equal(figures.startupResyncCalls, figures.expectedResyncCalls);
  });

  it('renews every subscription in a renewal cycle and counts the calls of the hour', () => {
    assert.equal(figures.renewalCycle.renewed, figures.subscriptionsAlive);
    assert.ok(figures.renewalCycle.cpuMs > 0);
    assert.ok((figures.graphCallsPerHour['PATCH /v1.0/subscriptions/:id'] ?? 0) >= 1);
    assert.ok(figures.peakRssBytes > 0);
  });
});
