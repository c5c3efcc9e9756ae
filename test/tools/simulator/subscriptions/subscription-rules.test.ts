import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import { startSimWebhook, type SimWebhook } from '../../../helpers/sim-webhook';
import {
  ADELE_ID,
  graphCall,
  MEGAN_ID,
  presenceSubscriptionBody,
  startTestSimulator,
  subscriberCertificate,
  tokenFor,
  type SubscriberCertificate,
} from '../../../helpers/tenant-simulator-harness';
import { weakCertificateBase64 } from './weak-certificate';

describe('simulated Graph subscription rules', () => {
  let sim: RunningSimulator;
  let hook: SimWebhook;
  let certificate: SubscriberCertificate;
  const users = (): string[] => sim.directory.listUsers().map((u) => u.id);
  let nextUser = 6;
  const freshUser = (): string => users()[nextUser++] as string;

  before(async () => {
    sim = await startTestSimulator();
    certificate = await subscriberCertificate();
  });
  beforeEach(async () => {
    hook = await startSimWebhook();
  });
  afterEach(() => hook.close());
  after(() => sim.stop());

  async function create(userId: string, body: Record<string, unknown>) {
    return graphCall(sim, await tokenFor(sim, userId), 'POST', '/subscriptions', body);
  }

  it('creates a rich presence subscription after validating both URLs', async () => {
    const response = await create(
      freshUser(),
      presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate),
    );
    assert.equal(response.status, 201);
    assert.equal(response.body.clientState, 'test-client-state-secret');
    assert.equal(hook.handshakes.length, 2);
  });

  it('answers 409 to a second presence subscription of the same user and app', async () => {
    const user = freshUser();
    assert.equal(
      (await create(user, presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate))).status,
      201,
    );
    const second = await create(
      user,
      presenceSubscriptionBody(sim, hook.url, [ADELE_ID], certificate),
    );
    assert.equal(second.status, 409);
    assert.equal(typeof (second.body.error as { code: string }).code, 'string');
  });

  it('answers 409 also when the existing subscription points at another URL', async () => {
    const user = freshUser();
    const other = await startSimWebhook();
    try {
      const first = presenceSubscriptionBody(sim, other.url, [MEGAN_ID], certificate);
      assert.equal((await create(user, first)).status, 201);
      const second = await create(
        user,
        presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate),
      );
      assert.equal(second.status, 409);
      assert.equal(hook.handshakes.length, 0);
    } finally {
      await other.close();
    }
  });

  it('accepts 650 quoted ids and refuses 651 (unknown ids accepted on request)', async () => {
    const lenient = await startTestSimulator({ unknownPresenceIds: 'accept' });
    try {
      const ids = Array.from({ length: 651 }, (_, i) => `id-${i}`);
      const createOn = async (body: Record<string, unknown>) =>
        graphCall(lenient, await tokenFor(lenient, MEGAN_ID), 'POST', '/subscriptions', body);
      const ok = await createOn(
        presenceSubscriptionBody(lenient, hook.url, ids.slice(0, 650), certificate),
      );
      assert.equal(ok.status, 201);
      const tooMany = await graphCall(
        lenient,
        await tokenFor(lenient, ADELE_ID),
        'POST',
        '/subscriptions',
        presenceSubscriptionBody(lenient, hook.url, ids, certificate),
      );
      assert.equal(tooMany.status, 400);
    } finally {
      await lenient.stop();
    }
  });

  it('refuses ids the directory does not know, by default, before the handshake', async () => {
    const response = await create(
      freshUser(),
      presenceSubscriptionBody(sim, hook.url, [MEGAN_ID, 'no-such-person'], certificate),
    );
    assert.equal(response.status, 400);
    assert.match(String((response.body.error as { message: string }).message), /no-such-person/);
    assert.equal(hook.handshakes.length, 0);
  });

  it('refuses unquoted ids with 400', async () => {
    const body = {
      ...presenceSubscriptionBody(sim, hook.url, [], certificate),
      resource: `/communications/presences?$filter=id in (${MEGAN_ID})`,
    };
    const response = await create(freshUser(), body);
    assert.equal(response.status, 400);
    assert.equal(hook.handshakes.length, 0);
  });

  it('refuses an expiration more than 60 minutes ahead and accepts 59', async () => {
    assert.equal(
      (
        await create(
          freshUser(),
          presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate, 61),
        )
      ).status,
      400,
    );
    assert.equal(
      (
        await create(
          freshUser(),
          presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate, 59),
        )
      ).status,
      201,
    );
  });

  it('requires a valid RSA 2048-4096 certificate when includeResourceData is true', async () => {
    const base = presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate);
    const withoutCertificate = { ...base, encryptionCertificate: undefined };
    assert.equal((await create(freshUser(), withoutCertificate)).status, 400);
    assert.equal(
      (await create(freshUser(), { ...base, encryptionCertificate: 'bm90IGEgY2VydA==' })).status,
      400,
    );
    assert.equal(
      (await create(freshUser(), { ...base, encryptionCertificate: await weakCertificateBase64() }))
        .status,
      400,
    );
    assert.equal(
      (await create(freshUser(), { ...base, encryptionCertificateId: undefined })).status,
      400,
    );
  });

  for (const mode of ['wrong-token', 'status-500', 'no-answer', 'json'] as const) {
    it(`answers 400 when the validation handshake fails (${mode})`, async () => {
      hook.handshakeMode = mode;
      const response = await create(
        freshUser(),
        presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate),
      );
      assert.equal(response.status, 400);
      assert.equal((response.body.error as { code: string }).code, 'ValidationError');
    });
  }

  it('validates the lifecycle URL too', async () => {
    const lifecycleHook = await startSimWebhook('/api/lifecycle');
    lifecycleHook.handshakeMode = 'wrong-token';
    const body = {
      ...presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate),
      lifecycleNotificationUrl: lifecycleHook.url,
    };
    const response = await create(freshUser(), body);
    await lifecycleHook.close();
    assert.equal(response.status, 400);
    assert.equal(lifecycleHook.handshakes.length, 1);
  });

  it('sends the URL-encoded token and expects it decoded', async () => {
    await create(freshUser(), presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate));
    assert.match(hook.handshakes[0] ?? '', /^Validation: Testing client application reachability/);
  });

  it('answers 401 with a Graph error body without a token', async () => {
    const response = await graphCall(
      sim,
      undefined,
      'POST',
      '/subscriptions',
      presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate),
    );
    assert.equal(response.status, 401);
    assert.equal((response.body.error as { code: string }).code, 'InvalidAuthenticationToken');
  });

  it('answers 401 to a token whose consent was revoked', async () => {
    const user = freshUser();
    const token = await tokenFor(sim, user);
    sim.revokeConsent(user);
    const response = await graphCall(
      sim,
      token,
      'POST',
      '/subscriptions',
      presenceSubscriptionBody(sim, hook.url, [MEGAN_ID], certificate),
    );
    assert.equal(response.status, 401);
    assert.equal((response.body.error as { code: string }).code, 'InvalidAuthenticationToken');
  });
});
