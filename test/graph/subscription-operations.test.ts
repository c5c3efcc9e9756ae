import assert from 'node:assert/strict';
import { silentLogger } from '../../src/logging/logger';
import { createGraphClient, type GraphClient } from '../../src/graph/graph-client';
import type { SubscriptionRequest } from '../../src/graph/graph-types';
import { presenceResource } from '../../src/graph/presence-resource';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import { expectAppError } from '../helpers/expect-app-error';
import { startSimWebhook, type SimWebhook } from '../helpers/sim-webhook';
import {
  ADELE_ID,
  ALEX_ID,
  MEGAN_ID,
  startTestSimulator,
  subscriberCertificate,
  tokenFor,
} from '../helpers/tenant-simulator-harness';

const MINUTE = 60_000;

describe('graph client: subscriptions against the tenant simulator', () => {
  let sim: RunningSimulator;
  let hook: SimWebhook;
  let graph: GraphClient;

  async function requestFor(ids: string[], minutes = 30): Promise<SubscriptionRequest> {
    const certificate = await subscriberCertificate();
    return {
      resource: presenceResource(ids),
      changeType: 'updated',
      notificationUrl: hook.url,
      lifecycleNotificationUrl: hook.url,
      expirationDateTime: new Date(sim.clock.now() + minutes * MINUTE),
      clientState: 'a-client-state-of-at-least-thirty-two-bytes',
      includeResourceData: true,
      encryptionCertificate: certificate.encryptionCertificate,
      encryptionCertificateId: 'graph-client-test-cert',
    };
  }

  before(async () => {
    sim = await startTestSimulator();
    hook = await startSimWebhook();
    graph = createGraphClient({ baseUrl: sim.graphBaseUrl, logger: silentLogger() });
  });
  after(async () => {
    await sim.stop();
    await hook.close();
  });

  it('creates a rich presence subscription, renews, reauthorizes, lists and deletes it', async () => {
    const token = await tokenFor(sim, ALEX_ID);
    const request = await requestFor([MEGAN_ID, ADELE_ID]);
    const created = await graph.createSubscription(token, request);
    assert.equal(created.resource, request.resource);
    assert.equal(created.includeResourceData, true);
    assert.equal(created.encryptionCertificateId, 'graph-client-test-cert');
    assert.equal(created.lifecycleNotificationUrl, hook.url);
    assert.equal(created.expirationDateTime.getTime(), request.expirationDateTime.getTime());
    assert.equal(hook.handshakes.length, 2);
    assert.ok(!('clientState' in created));

    const later = new Date(sim.clock.now() + 55 * MINUTE);
    const renewed = await graph.renewSubscription(token, created.id, later);
    assert.equal(renewed.id, created.id);
    assert.ok(renewed.expirationDateTime.getTime() > created.expirationDateTime.getTime());
    assert.equal(
      sim.subscriptions().find((s) => s.id === created.id)?.expiresAt,
      renewed.expirationDateTime.getTime(),
    );

    await graph.reauthorizeSubscription(token, created.id);
    const listed = await graph.listSubscriptions(token);
    assert.deepEqual(
      listed.map((s) => s.id),
      [created.id],
    );
    assert.equal(listed[0]?.creatorId, ALEX_ID);

    assert.equal(await graph.deleteSubscription(token, created.id), true);
    assert.equal(sim.subscriptions().length, 0);
    assert.deepEqual(await graph.listSubscriptions(token), []);
  });

  it('treats deleting a subscription that is already gone as success (false)', async () => {
    const token = await tokenFor(sim, ALEX_ID);
    assert.equal(
      await graph.deleteSubscription(token, 'd0e5a6c1-0000-4000-8000-000000000000'),
      false,
    );
  });

  it('reports GRAPH_NOT_FOUND when renewing or reauthorizing a missing subscription', async () => {
    const token = await tokenFor(sim, ALEX_ID);
    const missing = 'd0e5a6c1-0000-4000-8000-000000000001';
    const renew = await expectAppError(
      graph.renewSubscription(token, missing, new Date(sim.clock.now() + 30 * MINUTE)),
      'GRAPH_NOT_FOUND',
    );
    assert.equal((renew as { status?: number }).status, 404);
    await expectAppError(graph.reauthorizeSubscription(token, missing), 'GRAPH_NOT_FOUND');
  });

  it('reports GRAPH_CONFLICT for a second presence subscription of the same user', async () => {
    const token = await tokenFor(sim, MEGAN_ID);
    const first = await graph.createSubscription(token, await requestFor([ALEX_ID]));
    const error = await expectAppError(
      graph.createSubscription(token, await requestFor([ADELE_ID])),
      'GRAPH_CONFLICT',
    );
    assert.equal((error as { status?: number }).status, 409);
    assert.ok((error as { requestId?: string }).requestId);
    assert.equal(await graph.deleteSubscription(token, first.id), true);
  });

  it('reports GRAPH_BAD_REQUEST with Graph error code when Graph rejects the request', async () => {
    const token = await tokenFor(sim, ADELE_ID);
    const request = { ...(await requestFor([ALEX_ID])), encryptionCertificate: 'bm90IGEgY2VydA==' };
    const error = await expectAppError(
      graph.createSubscription(token, request),
      'GRAPH_BAD_REQUEST',
    );
    assert.equal((error as { graphCode?: string }).graphCode, 'InvalidRequest');
  });
});
