import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { silentLogger } from '../../../../src/logging/logger';
import { decryptEncryptedContent } from '../../../../src/notifications/crypto/decrypt-content';
import type { ChangeNotificationItem } from '../../../../src/notifications/receiver/notification-envelope';
import { remoteKeySet } from '../../../../src/notifications/tokens/jwks-sources';
import { createValidationTokenVerifier } from '../../../../src/notifications/tokens/validation-token-verifier';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import { eventually, startSimWebhook, type SimWebhook } from '../../../helpers/sim-webhook';
import {
  ADELE_ID,
  graphCall,
  MEGAN_ID,
  presenceSubscriptionBody,
  startTestSimulator,
  subscriberCertificate,
  TEST_APP_ID,
  tokenFor,
  type SubscriberCertificate,
} from '../../../helpers/tenant-simulator-harness';

function items(hook: SimWebhook): ChangeNotificationItem[] {
  return hook.batches.flatMap((batch) => batch.value);
}

function decryptedResources(hook: SimWebhook, key: KeyObject): Record<string, string>[] {
  return items(hook).map((item) => {
    assert.ok(item.encryptedContent);
    const plaintext = decryptEncryptedContent(item.encryptedContent, key).toString('utf8');
    return JSON.parse(plaintext) as Record<string, string>;
  });
}

describe('simulated Graph rich notification delivery', () => {
  let sim: RunningSimulator;
  let hook: SimWebhook;
  let certificate: SubscriberCertificate;
  let subscriber = 10;
  let token = '';
  let subscriptionId = '';

  before(async () => {
    sim = await startTestSimulator();
    certificate = await subscriberCertificate();
  });
  beforeEach(async () => {
    hook = await startSimWebhook();
    const user = sim.directory.listUsers()[subscriber++]?.id as string;
    token = await tokenFor(sim, user);
    const response = await graphCall(
      sim,
      token,
      'POST',
      '/subscriptions',
      presenceSubscriptionBody(sim, hook.url, [MEGAN_ID, ADELE_ID], certificate),
    );
    assert.equal(response.status, 201);
    subscriptionId = String(response.body.id);
  });
  afterEach(async () => {
    assert.equal(
      (await graphCall(sim, token, 'DELETE', `/subscriptions/${subscriptionId}`)).status,
      204,
    );
    await sim.deliveriesSettled();
    await hook.close();
  });
  after(() => sim.stop());

  it('encrypts each item so our receiver decrypts Graph’s documented presence payload', async () => {
    sim.setPresence(MEGAN_ID, { availability: 'Busy', activity: 'InAMeeting' });
    const [item] = await eventually(() => items(hook).length > 0 && items(hook));
    assert.ok(item?.encryptedContent);
    assert.equal(item.clientState, 'test-client-state-secret');
    assert.equal(item.encryptedContent.encryptionCertificateId, 'presence-watch-test-cert');
    const [resource] = decryptedResources(hook, certificate.privateKey);
    assert.deepEqual(resource, {
      '@odata.id': `users/${MEGAN_ID}/presence`,
      '@odata.type': '#microsoft.graph.presence',
      id: MEGAN_ID,
      availability: 'Busy',
      activity: 'InAMeeting',
    });
  });

  it('stamps every change with a greater sequenceNumber that every presence read serves and notifications leave out', async () => {
    const megan = await tokenFor(sim, MEGAN_ID);
    const reads = async (): Promise<unknown[]> => {
      const bulk = await graphCall(sim, token, 'POST', '/communications/getPresencesByUserId', {
        ids: [MEGAN_ID],
      });
      const one = (path: string, caller = token) => graphCall(sim, caller, 'GET', path);
      return [
        (await one(`/users/${MEGAN_ID}/presence`)).body.sequenceNumber,
        (await one(`/communications/presences/${MEGAN_ID}`)).body.sequenceNumber,
        (await one('/me/presence', megan)).body.sequenceNumber,
        (bulk.body.value as Record<string, unknown>[])[0]?.sequenceNumber,
      ];
    };
    const stamps: string[] = [];
    for (const availability of ['Away', 'Busy', 'Away', 'Available']) {
      sim.setPresence(MEGAN_ID, { availability, activity: availability });
      const served = await reads();
      assert.equal(new Set(served).size, 1, `one stamp for ${availability}: ${served.join()}`);
      stamps.push(String(served[0]));
    }
    await sim.deliveriesSettled();
    const notified = decryptedResources(hook, certificate.privateKey);
    assert.deepEqual(
      notified.map((resource) => [resource.availability, resource.sequenceNumber]),
      [
        ['Away', undefined],
        ['Busy', undefined],
        ['Away', undefined],
        ['Available', undefined],
      ],
    );
    assert.deepEqual([...stamps].sort(), stamps);
    assert.equal(new Set(stamps).size, stamps.length);
  });

  it('batches simultaneous changes into one POST with fresh keys per item', async () => {
    sim.setPresence(MEGAN_ID, { availability: 'Away', activity: 'Away' });
    sim.setPresence(ADELE_ID, { availability: 'DoNotDisturb', activity: 'Presenting' });
    await sim.deliveriesSettled();
    assert.equal(hook.batches.length, 1);
    const [first, second] = items(hook);
    assert.notEqual(first?.encryptedContent?.dataKey, second?.encryptedContent?.dataKey);
    assert.equal(hook.batches[0]?.validationTokens?.length, 1);
  });

  it('signs validation tokens that our verifier accepts through the served JWKS', async () => {
    sim.setPresence(ADELE_ID, { availability: 'BeRightBack', activity: 'BeRightBack' });
    const batch = await eventually(() => hook.batches[0]);
    const verifier = createValidationTokenVerifier({
      keySet: remoteKeySet(sim.jwksUrl),
      audiences: [TEST_APP_ID],
      logger: silentLogger(),
    });
    await verifier.verifyBatch(batch.validationTokens, [sim.tenantId]);
    const wrongAudience = createValidationTokenVerifier({
      keySet: remoteKeySet(sim.jwksUrl),
      audiences: ['another-app'],
      logger: silentLogger(),
    });
    await assert.rejects(wrongAudience.verifyBatch(batch.validationTokens, [sim.tenantId]));
  });

  it('retries a batch the webhook refused and counts it', async () => {
    let refusals = 1;
    hook.notificationStatus = () => (refusals-- > 0 ? 503 : 202);
    const before = sim.counters().counters;
    sim.setPresence(MEGAN_ID, { availability: 'Offline', activity: 'OffWork' });
    await eventually(() => hook.batches.length === 2);
    const after = sim.counters().counters;
    assert.equal((after.notificationsRetried ?? 0) - (before.notificationsRetried ?? 0), 1);
    assert.deepEqual(hook.batches[1]?.value, hook.batches[0]?.value);
  });

  it('drops deliveries when the fault is injected', async () => {
    sim.faults.setDeliveryDropShare(1);
    sim.setPresence(ADELE_ID, { availability: 'Available', activity: 'Available' });
    sim.setPresence(ADELE_ID, { availability: 'Busy', activity: 'InACall' });
    await sim.deliveriesSettled();
    sim.faults.clearFaults();
    assert.equal(hook.batches.length, 0);
    assert.ok((sim.counters().counters.notificationsDropped ?? 0) >= 2);
  });
});
