import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import { eventually, startSimWebhook, type SimWebhook } from '../../../helpers/sim-webhook';
import {
  graphCall,
  MEGAN_ID,
  presenceSubscriptionBody,
  startTestSimulator,
  subscriberCertificate,
  tokenFor,
  type SubscriberCertificate,
} from '../../../helpers/tenant-simulator-harness';

describe('simulated Graph subscription lifetime and lifecycle events', () => {
  let sim: RunningSimulator;
  let hook: SimWebhook;
  let certificate: SubscriberCertificate;
  let subscriber = 6;
  let user = '';
  let token = '';
  let id = '';

  const lifecycleEvents = (): string[] =>
    hook.batches
      .flatMap((b) => b.value)
      .flatMap((item) => (item.lifecycleEvent ? [item.lifecycleEvent] : []));

  beforeEach(async () => {
    sim = await startTestSimulator();
    certificate ??= await subscriberCertificate();
    hook = await startSimWebhook();
    user = sim.directory.listUsers()[subscriber++]?.id as string;
    token = await tokenFor(sim, user, { lifetimeSeconds: 60 * 60 });
    const created = await graphCall(
      sim,
      token,
      'POST',
      '/subscriptions',
      presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate, 10),
    );
    assert.equal(created.status, 201);
    id = String(created.body.id);
  });
  afterEach(async () => {
    await sim.stop();
    await hook.close();
  });

  it('removes the subscription once its expiration passes on an accelerated clock', async () => {
    sim.clock.setSpeed(6_000);
    await eventually(() => sim.counters().subscriptionsAlive === 0);
    assert.equal((await graphCall(sim, token, 'GET', `/subscriptions/${id}`)).status, 404);
    sim.setPresence(MEGAN_ID, { availability: 'Away', activity: 'Away' });
    await sim.deliveriesSettled();
    assert.equal(hook.batches.length, 0);
  });

  it('keeps a subscription renewed by PATCH alive past its first expiration', async () => {
    sim.clock.advance(9 * 60_000);
    const expirationDateTime = new Date(sim.clock.now() + 30 * 60_000).toISOString();
    const renewed = await graphCall(sim, token, 'PATCH', `/subscriptions/${id}`, {
      expirationDateTime,
    });
    assert.equal(renewed.status, 200);
    sim.clock.advance(5 * 60_000);
    assert.equal((await graphCall(sim, token, 'GET', `/subscriptions/${id}`)).status, 200);
    const tooFar = new Date(sim.clock.now() + 61 * 60_000).toISOString();
    assert.equal(
      (await graphCall(sim, token, 'PATCH', `/subscriptions/${id}`, { expirationDateTime: tooFar }))
        .status,
      400,
    );
  });

  it('deletes, lists and reauthorizes like Graph', async () => {
    assert.equal(
      (await graphCall(sim, token, 'POST', `/subscriptions/${id}/reauthorize`)).status,
      204,
    );
    const listed = await graphCall(sim, token, 'GET', '/subscriptions');
    assert.deepEqual(
      (listed.body.value as { id: string }[]).map((s) => s.id),
      [id],
    );
    assert.equal((await graphCall(sim, token, 'DELETE', `/subscriptions/${id}`)).status, 204);
    assert.equal((await graphCall(sim, token, 'DELETE', `/subscriptions/${id}`)).status, 404);
  });

  it('sends reauthorizationRequired before the subscribing user token lapses', async () => {
    const renew = async (): Promise<void> => {
      const expirationDateTime = new Date(sim.clock.now() + 50 * 60_000).toISOString();
      assert.equal(
        (await graphCall(sim, token, 'PATCH', `/subscriptions/${id}`, { expirationDateTime }))
          .status,
        200,
      );
    };
    sim.clock.advance(8 * 60_000);
    await renew();
    sim.clock.advance(35 * 60_000);
    await renew();
    await sim.deliveriesSettled();
    assert.deepEqual(lifecycleEvents(), []);
    sim.clock.advance(8 * 60_000);
    await eventually(() => lifecycleEvents().length > 0);
    assert.deepEqual(lifecycleEvents(), ['reauthorizationRequired']);
    const item = hook.batches.flatMap((b) => b.value)[0];
    assert.equal(item?.subscriptionId, id);
    assert.equal(item?.clientState, 'test-client-state-secret');
    assert.equal(item?.tenantId, sim.tenantId);
  });

  it('asks once per token: a renewal with the same token brings no further reauthorizationRequired', async () => {
    const renew = async (): Promise<void> => {
      const expirationDateTime = new Date(sim.clock.now() + 50 * 60_000).toISOString();
      const renewed = await graphCall(sim, token, 'PATCH', `/subscriptions/${id}`, {
        expirationDateTime,
      });
      assert.equal(renewed.status, 200);
    };
    sim.clock.advance(8 * 60_000);
    await renew();
    sim.clock.advance(43 * 60_000);
    await eventually(() => lifecycleEvents().length > 0);
    await renew();
    sim.clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sim.deliveriesSettled();
    assert.deepEqual(lifecycleEvents(), ['reauthorizationRequired']);
  });

  it('sends reauthorizationRequired on consent revocation, and the old token gets 401', async () => {
    sim.revokeConsent(user);
    await eventually(() => lifecycleEvents().includes('reauthorizationRequired'));
    const response = await graphCall(sim, token, 'PATCH', `/subscriptions/${id}`, {
      expirationDateTime: new Date(sim.clock.now() + 30 * 60_000).toISOString(),
    });
    assert.equal(response.status, 401);
  });

  it('sends missed and subscriptionRemoved on demand; the removed one is gone', async () => {
    sim.triggerLifecycle(id, 'missed');
    sim.triggerLifecycle(id, 'subscriptionRemoved');
    await sim.deliveriesSettled();
    assert.deepEqual(lifecycleEvents(), ['missed', 'subscriptionRemoved']);
    assert.equal((await graphCall(sim, token, 'GET', `/subscriptions/${id}`)).status, 404);
  });
});
