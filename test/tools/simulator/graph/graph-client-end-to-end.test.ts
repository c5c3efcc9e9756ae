import assert from 'node:assert/strict';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createSdkClient } from '../../../../src/graph/graph-sdk-client';
import { decryptEncryptedContent } from '../../../../src/notifications/crypto/decrypt-content';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import { eventually, startSimWebhook, type SimWebhook } from '../../../helpers/sim-webhook';
import {
  ALEX_ID,
  MEGAN_ID,
  presenceSubscriptionBody,
  startTestSimulator,
  subscriberCertificate,
  tokenFor,
} from '../../../helpers/tenant-simulator-harness';

function clientFor(sim: RunningSimulator, token: string): Client {
  return createSdkClient({ baseUrl: sim.graphBaseUrl }, async () => token);
}

describe('the production Graph client against the simulator', () => {
  let sim: RunningSimulator;
  let hook: SimWebhook;

  before(async () => {
    sim = await startTestSimulator();
    hook = await startSimWebhook();
  });
  after(async () => {
    await sim.stop();
    await hook.close();
  });

  it('reads people and presence through the SDK', async () => {
    const client = clientFor(sim, await tokenFor(sim, ALEX_ID));
    const found = (await client
      .api('/users')
      .filter("startswith(displayName,'Meg')")
      .select('id,displayName')
      .top(5)
      .get()) as { value: { id: string }[] };
    assert.deepEqual(
      found.value.map((u) => u.id),
      [MEGAN_ID],
    );
    const presences = (await client
      .api('/communications/getPresencesByUserId')
      .post({ ids: [MEGAN_ID, ALEX_ID] })) as { value: unknown[] };
    assert.equal(presences.value.length, 2);
    await assert.rejects(
      client.api('/users/nobody-here').get(),
      (error: { statusCode?: number }) => error.statusCode === 404,
    );
  });

  it('subscribes through the SDK and receives decryptable presence changes', async () => {
    const certificate = await subscriberCertificate();
    const client = clientFor(sim, await tokenFor(sim, ALEX_ID));
    const created = (await client
      .api('/subscriptions')
      .post(presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate))) as { id: string };
    sim.setPresence(MEGAN_ID, { availability: 'DoNotDisturb', activity: 'Presenting' });
    const item = await eventually(() => hook.batches[0]?.value[0]);
    assert.equal(item.subscriptionId, created.id);
    assert.ok(item.encryptedContent);
    const resource = JSON.parse(
      decryptEncryptedContent(item.encryptedContent, certificate.privateKey).toString('utf8'),
    ) as { availability: string };
    assert.equal(resource.availability, 'DoNotDisturb');
    await client.api(`/subscriptions/${created.id}`).delete();
  });
});
