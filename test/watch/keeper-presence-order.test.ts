import assert from 'node:assert/strict';
import type { GraphClient } from '../../src/graph';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { getPresenceStates } from '../../src/store/presence-state';
import type { SubscriptionKeeper } from '../../src/watch/subscription-keeper';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type ChangeRow, type KeeperHarness } from './keeper-harness';

const READ_ROUTE = 'POST /v1.0/communications/getPresencesByUserId';
const CONFIRM_DELAY_MS = 150;
const megan = MEGAN_ID.toLowerCase();

function reads(h: KeeperHarness): number {
  return h.sim.counters().routes[READ_ROUTE] ?? 0;
}

async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function storedAvailability(h: KeeperHarness, userId: string): Promise<string | undefined> {
  return (await getPresenceStates(h.store.db, h.tenantId, [userId])).get(userId)?.availability;
}

/** Starts the keeper, waits for its subscription and start-up resync, and records Megan as Busy. */
async function runningKeeper(h: KeeperHarness): Promise<SubscriptionKeeper> {
  const keeper = h.keeper();
  keeper.start();
  await until('the subscription exists', async () => h.live().length === 1);
  await until('the start-up resync read', async () => reads(h) > 0);
  await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
  await until('Megan is Busy', async () => (await storedAvailability(h, megan)) === 'Busy');
  return keeper;
}

/** Graph goes Busy → Offline → Available; Offline's notification is delivered 300 ms late. */
async function newerThenOlder(h: KeeperHarness): Promise<void> {
  h.sim.faults.setDeliveryFault({ delayShare: 1, minDelayMs: 300, maxDelayMs: 300 });
  h.sim.setPresence(MEGAN_ID, COMMON_PRESENCES.offline);
  h.sim.faults.setDeliveryFault({ delayShare: 0 });
  h.sim.setPresence(MEGAN_ID, COMMON_PRESENCES.available);
  await h.settle();
}

function backwards(changes: ChangeRow[]): ChangeRow[] {
  return changes.filter((c) => c.userId === megan && c.to === 'Offline');
}

describe('subscription keeper: presence order without sequence numbers', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  afterEach(() => h.close());

  it('ends on Graph’s state and records no step backwards when the newer change arrives 300 ms before the older one', async () => {
    h = await startKeeperHarness({ config: { presenceConfirmDelayMs: CONFIRM_DELAY_MS } });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    await runningKeeper(h);
    const readsBefore = reads(h);

    await newerThenOlder(h);
    await new Promise((resolve) => setTimeout(resolve, CONFIRM_DELAY_MS * 5));
    await h.settle();

    assert.equal(await storedAvailability(h, megan), 'Available');
    const changes = (await h.changes()).filter((c) => c.userId === megan);
    assert.deepEqual(
      changes.slice(-1).map((c) => [c.from, c.to]),
      [['Busy', 'Available']],
    );
    assert.deepEqual(backwards(changes), []);
    assert.ok(reads(h) > readsBefore, 'the doubtful order was confirmed by a read');
  });

  it('confirms the doubts about several people with one batched read', async () => {
    h = await startKeeperHarness({ config: { presenceConfirmDelayMs: 600 } });
    const people = h.sim.directory
      .listUsers()
      .slice(5, 10)
      .map((user) => user.id);
    for (const person of [MEGAN_ID, ...people]) await h.watch('conv-1', ALEX_ID, person);
    await runningKeeper(h);
    const readsBefore = reads(h);

    for (const person of people) h.sim.setPresence(person, COMMON_PRESENCES.away);
    for (const person of people) h.sim.setPresence(person, COMMON_PRESENCES.beRightBack);
    await h.settle();
    await until('every doubt is confirmed', async () => {
      const states = await getPresenceStates(h.store.db, h.tenantId, people);
      return [...states.values()].every((s) => s.availability === 'BeRightBack');
    });

    assert.equal(reads(h) - readsBefore, 1);
  });

  it('orders by sequence number without any read when notifications carry one', async () => {
    h = await startKeeperHarness({
      simulator: { notificationSequenceNumbers: true },
      config: { presenceConfirmDelayMs: CONFIRM_DELAY_MS },
    });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    await runningKeeper(h);
    const readsBefore = reads(h);

    await newerThenOlder(h);
    await new Promise((resolve) => setTimeout(resolve, CONFIRM_DELAY_MS * 3));

    assert.equal(await storedAvailability(h, megan), 'Available');
    assert.deepEqual(backwards(await h.changes()), []);
    assert.equal(reads(h), readsBefore);
  });

  it('does not let a read answered before a change undo the change’s notification applied meanwhile', async () => {
    h = await startKeeperHarness({ config: { presenceConfirmDelayMs: 0 } });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    let betweenAnswerAndApply: () => Promise<void> = async () => undefined;
    const graph: GraphClient = {
      ...h.graph,
      async getPresencesByUserId(token, ids) {
        const presences = await h.graph.getPresencesByUserId(token, ids);
        await betweenAnswerAndApply();
        return presences;
      },
    };
    const keeper = h.keeper({ graph });
    await keeper.runOnce();
    await keeper.runOnce();
    assert.equal(await storedAvailability(h, megan), 'Available');
    h.sim.faults.setDeliveryDropShare(1);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy, false);
    h.sim.faults.clearFaults();
    h.sim.clock.advance(5 * 60_000);
    betweenAnswerAndApply = async () => {
      betweenAnswerAndApply = async () => undefined;
      await h.setPresence(MEGAN_ID, COMMON_PRESENCES.away);
    };

    keeper.requestResync(h.tenantId, [megan]);
    await keeper.runOnce();
    await keeper.runOnce();

    assert.equal(await storedAvailability(h, megan), 'Away');
    assert.deepEqual(
      (await h.changes()).slice(-1).map((c) => [c.from, c.to]),
      [['Available', 'Away']],
    );
  });
});
