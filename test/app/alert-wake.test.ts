import assert from 'node:assert/strict';
import type { Timers } from '../../src/background/timers';
import { startAlertRig, type AlertRig } from '../../tools/bench/alert-rig';
import { FakeBotConnector } from '../helpers/fake-bot-connector';

/** Timers that never fire: a loop runs only when started or woken, never because it polled. */
const NEVER_FIRING: Timers = {
  setTimeout: () => undefined,
  clearTimeout: () => undefined,
};

const FAN_OUT = { batchSize: 100, leaseMs: 60_000, coalesceWindowMs: 0, pollMs: 60_000 };

function within<T>(ms: number, promise: Promise<T>): Promise<T | 'timed out'> {
  return Promise.race([
    promise,
    new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref()),
  ]);
}

describe('alert wakes (the app wired by its composition root)', () => {
  let connector: FakeBotConnector;
  let rig: AlertRig | undefined;

  beforeEach(async () => {
    connector = new FakeBotConnector(() => Date.now());
    await connector.start();
  });

  afterEach(async function () {
    this.timeout(20_000);
    await rig?.stop();
    rig = undefined;
    await connector.stop();
  });

  it('brings a presence change to the Teams connector without any loop polling', async function () {
    this.timeout(20_000);
    rig = await startAlertRig({
      people: 1,
      serviceUrl: connector.serviceUrl,
      fanOut: FAN_OUT,
      timers: NEVER_FIRING,
    });
    await rig.notify(0);
    assert.notEqual(await within(10_000, connector.waitForDelivered(1)), 'timed out');
    const [card] = connector.delivered(rig.conversationOf(0));
    assert.match(JSON.stringify(card?.activity), /Available/);
  });

  it('without the wake the change waits for a poll that never comes', async function () {
    this.timeout(20_000);
    rig = await startAlertRig({
      people: 1,
      serviceUrl: connector.serviceUrl,
      fanOut: FAN_OUT,
      timers: NEVER_FIRING,
      presenceWakes: false,
    });
    await rig.notify(0);
    assert.equal(await within(1_500, connector.waitForDelivered(1)), 'timed out');
  });
});
