import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GraphClient } from '../../src/graph';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ORDER_DOUBT_WINDOW_MS } from '../../src/store/presence-order';
import type { SubscriptionKeeper } from '../../src/watch/subscription-keeper';
import { eventually } from '../helpers/sim-webhook';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const TARGET_ID = '20000000-0000-4000-8000-000000000000';
const watcherId = (n: number): string => `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function seedFile(dir: string, watchers: number): Promise<string> {
  const person = (id: string, name: string) => ({
    id,
    displayName: name,
    mail: `${name.replace(/\s/g, '').toLowerCase()}@example.com`,
  });
  const users = [person(TARGET_ID, 'Popular Person')];
  for (let n = 0; n < watchers; n += 1) users.push(person(watcherId(n), `Watcher ${n}`));
  const file = path.join(dir, 'seed.json');
  await writeFile(file, JSON.stringify({ users }));
  return file;
}

describe('subscription keeper: shared coverage', function () {
  this.timeout(60_000);
  let h: KeeperHarness;
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pw-seed-'));
    h = await startKeeperHarness({ simulator: { seedFile: await seedFile(dir, 200) } });
  });
  afterEach(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('covers a person watched by 200 watchers with at most 2 subscriptions, and moves coverage', async () => {
    for (let n = 0; n < 200; n += 1) await h.watch(`conv-${n}`, watcherId(n), TARGET_ID);
    const keeper = h.keeper();
    await keeper.runOnce();

    const covering = h.live().filter((s) => s.userIds.has(TARGET_ID));
    assert.equal(covering.length, 2);
    assert.equal(h.live().length, 2);
    const before = covering.map((s) => s.creatorId.toLowerCase()).sort();

    for (const creator of before) {
      const n = Number(creator.slice(-12));
      await h.unwatch(`conv-${n}`, TARGET_ID);
    }
    keeper.requestReplan(h.tenantId);
    await keeper.runOnce();
    assert.equal(h.live().filter((s) => s.userIds.has(TARGET_ID)).length, 4);
    h.sim.clock.advance(h.config.debounceMs);
    await keeper.runOnce();

    const after = h.live().map((s) => s.creatorId.toLowerCase());
    assert.equal(after.length, 2);
    assert.ok(after.every((creator) => !before.includes(creator)));
    assert.equal((await h.rows()).length, 2);
    h.sim.clock.advance(ORDER_DOUBT_WINDOW_MS);
    await h.setPresence(TARGET_ID, COMMON_PRESENCES.busy);
    await h.settle();
    const notified = (await h.changes()).filter((c) => c.source === 'notification');
    assert.equal(notified.length, 1);
  });
});

describe('subscription keeper: restarts', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness();
  });
  afterEach(() => h.close());

  it('a new keeper completes a recreate the stopped one began', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const first = h.keeper();
    await first.runOnce();
    await first.stop();

    const stopAfterDelete: { keeper?: SubscriptionKeeper } = {};
    const graph: GraphClient = {
      ...h.graph,
      async deleteSubscription(token, id) {
        const existed = await h.graph.deleteSubscription(token, id);
        void stopAfterDelete.keeper?.stop();
        return existed;
      },
    };
    const crashing = h.keeper({ graph, leaseOwner: 'crashing-keeper' });
    stopAfterDelete.keeper = crashing;
    await h.watch('conv-1', ALEX_ID, ADELE_ID);
    crashing.requestReplan(h.tenantId);
    h.sim.clock.advance(h.config.debounceMs);
    await crashing.runOnce();
    h.sim.clock.advance(h.config.debounceMs);
    await crashing.runOnce();

    assert.equal(h.live().length, 0);
    const [between] = await h.rows();
    assert.equal(between?.graphSubscriptionId, null);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy, false);

    const successor = h.keeper({ leaseOwner: 'successor-keeper' });
    const pass = await successor.runOnce();

    assert.equal(pass.actions.create, 1);
    const live = h.live();
    assert.equal(live.length, 1);
    assert.deepEqual(
      [...(live[0]?.userIds ?? [])].sort(),
      [ADELE_ID, MEGAN_ID].map((id) => id.toLowerCase()).sort(),
    );
    const busy = (await h.changes()).filter((c) => c.to === 'Busy');
    assert.deepEqual(
      busy.map((c) => c.source),
      ['resync'],
    );
  });

  it('reports a change made while no keeper ran, with one presence read at start-up', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    await h.watch('conv-1', ALEX_ID, ADELE_ID);
    await h.watch('conv-2', ADELE_ID, MEGAN_ID);
    const before = h.keeper();
    await before.runOnce();
    await before.stop();
    assert.equal(h.live().length, 2);
    h.sim.faults.setDeliveryDropShare(1);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.offline, false);
    h.sim.faults.clearFaults();
    const reads = (): number =>
      h.sim.counters().routes['POST /v1.0/communications/getPresencesByUserId'] ?? 0;
    const readsBefore = reads();

    const after = h.keeper();
    after.start();
    await eventually(() => reads() > readsBefore);
    await after.stop();

    const offline = (await h.changes()).filter((c) => c.to === 'Offline');
    assert.deepEqual(
      offline.map((c) => c.source),
      ['resync'],
    );
    assert.equal(reads(), readsBefore + 1);
    assert.equal(h.sim.counters().counters['subscriptions.created'], 2);
  });

  it('holds the start-up resync until the notification backlog is drained', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    const before = h.keeper();
    await before.runOnce();
    await before.stop();
    const reads = (): number =>
      h.sim.counters().routes['POST /v1.0/communications/getPresencesByUserId'] ?? 0;
    const readsBefore = reads();
    let drained: () => void = () => undefined;
    const backlog = new Promise<void>((resolve) => {
      drained = resolve;
    });

    const after = h.keeper();
    after.start({ resyncAfter: backlog });
    await after.runOnce();
    assert.equal(reads(), readsBefore, 'no resync while the backlog drains');
    drained();
    await eventually(() => reads() > readsBefore);
    await after.stop();
    assert.equal(reads(), readsBefore + 1);
  });
});
