import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { PresenceStored } from '../../src/app/service-builders';
import { startAlertService, type AlertService } from '../../src/app/alert-service';
import type { Timers } from '../../src/background/timers';
import { silentLogger } from '../../src/logging/logger';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { addConversation, realSend, recordingWatches, TestClock } from '../alerts/alert-harness';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const CONVERSATION = 'a:personal-alex';
/** Timers that never fire: the fan-out and the sender run only when started or woken. */
const NEVER_FIRING: Timers = { setTimeout: () => undefined, clearTimeout: () => undefined };
const POLL_NEVER = { batchSize: 100, leaseMs: 60_000, coalesceWindowMs: 0, pollMs: 60_000 };

function within<T>(ms: number, promise: Promise<T>): Promise<T | 'timed out'> {
  return Promise.race([
    promise,
    new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref()),
  ]);
}

describe('subscription keeper: a presence change found by a resync', function () {
  this.timeout(30_000);
  let h: KeeperHarness;
  let connector: FakeBotConnector;
  let alerts: AlertService;

  beforeEach(async () => {
    h = await startKeeperHarness();
    connector = new FakeBotConnector(() => h.sim.clock.now());
    await connector.start();
    await addConversation(h.store.db, connector, CONVERSATION, { tenantId: h.tenantId });
    await h.watch(CONVERSATION, ALEX_ID, MEGAN_ID);
    alerts = startAlertService({
      store: h.store,
      send: realSend(new TestClock()),
      graph: h.graph,
      tokens: h.tokens,
      logger: silentLogger(),
      now: () => h.sim.clock.now(),
      watches: recordingWatches(h.store, () => h.sim.clock.now()),
      fanOut: POLL_NEVER,
      timers: NEVER_FIRING,
    });
  });

  afterEach(async () => {
    await alerts.stop();
    await h.close();
    await connector.stop();
  });

  it('reaches the Teams connector at once, though the fan-out never polls', async () => {
    h.sim.faults.setDeliveryDropShare(1);
    h.sim.setPresence(MEGAN_ID, COMMON_PRESENCES.away);
    const presenceStored: PresenceStored = new EventEmitter();
    presenceStored.on('stored', () => alerts.presenceChanged());
    const keeper = h.keeper({ presenceStored });
    keeper.requestResync(h.tenantId, [MEGAN_ID], ALEX_ID);
    await keeper.runOnce();
    h.sim.setPresence(MEGAN_ID, COMMON_PRESENCES.available);
    keeper.requestResync(h.tenantId, [MEGAN_ID], ALEX_ID);
    await keeper.runOnce();

    assert.notEqual(await within(5_000, connector.waitForDelivered(1)), 'timed out');
    const [card] = connector.delivered(CONVERSATION);
    assert.match(JSON.stringify(card?.activity), /Available/);
  });
});
