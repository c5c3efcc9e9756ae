import assert from 'node:assert/strict';
import { decryptEncryptedContent } from '../../../../src/notifications/crypto/decrypt-content';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import { startSimWebhook, type SimWebhook } from '../../../helpers/sim-webhook';
import {
  graphCall,
  MEGAN_ID,
  presenceSubscriptionBody,
  startTestSimulator,
  subscriberCertificate,
  tokenFor,
  type SubscriberCertificate,
} from '../../../helpers/tenant-simulator-harness';

interface Notified {
  availability: string;
  sequenceNumber?: string;
}

const STATES = ['Away', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Offline', 'Available'];

function notified(hook: SimWebhook, certificate: SubscriberCertificate): Notified[] {
  return hook.batches
    .flatMap((batch) => batch.value)
    .map((item) => {
      assert.ok(item.encryptedContent);
      const text = decryptEncryptedContent(item.encryptedContent, certificate.privateKey);
      return JSON.parse(text.toString('utf8')) as Notified;
    });
}

async function subscribedSimulator(
  options: Parameters<typeof startTestSimulator>[0],
  certificate: SubscriberCertificate,
): Promise<{ sim: RunningSimulator; hook: SimWebhook }> {
  const sim = await startTestSimulator(options);
  const hook = await startSimWebhook();
  const subscriber = sim.directory.listUsers()[10]?.id as string;
  const token = await tokenFor(sim, subscriber);
  const body = presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate);
  assert.equal((await graphCall(sim, token, 'POST', '/subscriptions', body)).status, 201);
  return { sim, hook };
}

async function changeEvery(sim: RunningSimulator, states: readonly string[], realMs: number) {
  for (const availability of states) {
    sim.setPresence(MEGAN_ID, { availability, activity: availability });
    await new Promise((resolve) => setTimeout(resolve, realMs));
  }
}

describe('simulated Graph delivery faults and sequence numbers', () => {
  let certificate: SubscriberCertificate;
  let running: { sim: RunningSimulator; hook: SimWebhook } | undefined;

  before(async () => {
    certificate = await subscriberCertificate();
  });
  afterEach(async () => {
    await running?.hook.close();
    await running?.sim.stop();
    running = undefined;
  });

  it('puts sequenceNumber into notifications only when told to', async () => {
    running = await subscribedSimulator({ notificationSequenceNumbers: true }, certificate);
    const { sim, hook } = running;
    await changeEvery(sim, ['Away', 'Busy'], 0);
    await sim.deliveriesSettled();
    const stamps = notified(hook, certificate).map((n) => n.sequenceNumber);
    assert.equal(stamps.length, 2);
    assert.deepEqual(stamps, [...stamps].sort());
    assert.equal(stamps[1], sim.getPresence(MEGAN_ID).sequenceNumber);
  });

  it('delays every delivery on demand, so newer changes overtake older ones', async () => {
    running = await subscribedSimulator({ clockSpeed: 10, randomSeed: 3 }, certificate);
    const { sim, hook } = running;
    sim.faults.setDeliveryFault({ delayShare: 0.5, minDelayMs: 300, maxDelayMs: 2_000 });
    await changeEvery(sim, STATES, 15);
    await sim.deliveriesSettled();
    const order = notified(hook, certificate).map((n) => n.availability);
    assert.deepEqual([...order].sort(), [...STATES].sort());
    assert.notDeepEqual(order, STATES, 'some notification arrived after a newer one');
    assert.ok((sim.counters().counters.notificationsDelayed ?? 0) >= 1);
  });

  it('sends a later second copy of duplicated deliveries', async () => {
    running = await subscribedSimulator({ clockSpeed: 10 }, certificate);
    const { sim, hook } = running;
    sim.faults.setDeliveryFault({ duplicateShare: 1, minDelayMs: 500, maxDelayMs: 500 });
    await changeEvery(sim, ['Away', 'Busy'], 0);
    await sim.deliveriesSettled();
    const order = notified(hook, certificate).map((n) => n.availability);
    assert.deepEqual(order, ['Away', 'Busy', 'Away', 'Busy']);
    assert.equal(sim.counters().counters.notificationsDuplicated, 2);
  });

  it('takes delivery faults through the admin API and refuses bad ones', async () => {
    running = await subscribedSimulator({}, certificate);
    const put = (body: object) =>
      fetch(`${running?.sim.url}/_sim/faults/delivery`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const answer = await put({ delayShare: 0.1, duplicateShare: 0.05, maxDelayMs: 30_000 });
    assert.equal(answer.status, 200);
    const body = (await answer.json()) as { delivery: Record<string, number> };
    assert.deepEqual(body.delivery, {
      dropShare: 0,
      delayShare: 0.1,
      duplicateShare: 0.05,
      minDelayMs: 300,
      maxDelayMs: 30_000,
    });
    assert.equal((await put({ delayShare: 2 })).status, 400);
    assert.equal((await put({ minDelayMs: 5_000, maxDelayMs: 10 })).status, 400);
  });
});
