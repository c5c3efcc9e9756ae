import assert from 'node:assert/strict';
import type { GraphClient } from '../../src/graph';
import { forEachEngine } from '../helpers/for-each-engine';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;
const PEOPLE = [
  '00000000-0000-0000-0000-0000000000020',
  '00000000-0000-0000-0000-0000000000021',
  '00000000-0000-0000-0000-0000000000022',
  '00000000-0000-0000-0000-0000000000023',
  '00000000-0000-0000-0000-0000000000024',
];

interface Renewal {
  id: string;
  at: number;
  by: string;
}

function recordingGraph(graph: GraphClient, log: Renewal[], by: string, now: () => number) {
  return {
    ...graph,
    renewSubscription: async (token: string, id: string, expiresAt: Date) => {
      log.push({ id, at: now(), by });
      return graph.renewSubscription(token, id, expiresAt);
    },
  };
}

forEachEngine('subscription keeper: two instances on one database', (fixture) => {
  let h: KeeperHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('creates and renews each subscription exactly once', async function () {
    this.timeout(60_000);
    if (fixture.engine === 'sqlite') this.skip();
    const harness = await startKeeperHarness({
      store: fixture.store,
      config: { redundancy: 1, claimLimit: 1 },
    });
    h = harness;
    const now = (): number => harness.sim.clock.now();
    const renewals: Renewal[] = [];
    const other = await fixture.open();
    const keepers = [
      harness.keeper({
        graph: recordingGraph(harness.graph, renewals, 'a', now),
        leaseOwner: 'instance-a',
      }),
      harness.keeper({
        store: other,
        graph: recordingGraph(harness.graph, renewals, 'b', now),
        leaseOwner: 'instance-b',
      }),
    ];
    for (const [i, watcher] of PEOPLE.entries()) {
      await harness.watch(`conv-${i}`, watcher, PEOPLE[(i + 1) % PEOPLE.length] ?? '');
    }
    for (let minute = 0; minute <= 180; minute += 5) {
      await Promise.all(keepers.map((keeper) => keeper.runOnce()));
      harness.sim.clock.advance(5 * MINUTE);
    }

    const { counters, routes } = harness.sim.counters();
    assert.equal(routes['POST /v1.0/subscriptions'], PEOPLE.length);
    assert.equal(routes['GET /v1.0/subscriptions'], undefined);
    assert.equal(counters['subscriptions.expired'], undefined);
    assert.equal(harness.live().length, PEOPLE.length);
    const byId = new Map<string, number[]>();
    for (const renewal of renewals)
      byId.set(renewal.id, [...(byId.get(renewal.id) ?? []), renewal.at]);
    assert.equal(byId.size, PEOPLE.length);
    assert.deepEqual([...new Set(renewals.map((r) => r.by))].sort(), ['a', 'b']);
    for (const times of byId.values()) {
      assert.ok(times.length >= 3);
      const interval = harness.config.livenessCheckMs;
      times.slice(1).forEach((at, i) => assert.ok(at - (times[i] ?? 0) >= interval));
    }
  });
});
