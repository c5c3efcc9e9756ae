import assert from 'node:assert/strict';
import { createLogger } from '../../src/logging/logger';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ORDER_DOUBT_WINDOW_MS } from '../../src/store/presence-order';
import { notificationUrlOf } from '../../src/watch/keeper-config';
import { startSimWebhook, type SimWebhook } from '../helpers/sim-webhook';
import {
  ALEX_ID,
  graphCall,
  MEGAN_ID,
  presenceSubscriptionBody,
  subscriberCertificate,
} from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;
const megan = MEGAN_ID.toLowerCase();

describe('subscription keeper: 409 conflicts on another URL', function () {
  this.timeout(30_000);
  let h: KeeperHarness;
  let otherDeployment: SimWebhook;
  let logLines: Record<string, unknown>[];
  const logger = createLogger({
    level: 'info',
    format: 'json',
    destination: { write: (line: string) => logLines.push(JSON.parse(line)) },
  });

  beforeEach(async () => {
    logLines = [];
    h = await startKeeperHarness();
    otherDeployment = await startSimWebhook();
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
  });
  afterEach(async () => {
    await otherDeployment.close();
    await h.close();
  });

  async function subscribeOnOtherUrl(): Promise<void> {
    const token = await h.tokens.getToken(h.tenantId, ALEX_ID);
    const body = presenceSubscriptionBody(
      h.sim,
      otherDeployment.url,
      [MEGAN_ID],
      await subscriberCertificate(),
      59,
    );
    assert.equal((await graphCall(h.sim, token, 'POST', '/subscriptions', body)).status, 201);
  }

  it('replaces the stale subscription on another URL and delivers at once', async () => {
    await subscribeOnOtherUrl();

    const pass = await h.keeper({ logger }).runOnce();

    assert.equal(pass.actions.create, 1);
    const live = h.live();
    assert.equal(live.length, 1);
    assert.equal(live[0]?.notificationUrl, notificationUrlOf(h.config));
    assert.equal((await h.rows())[0]?.graphSubscriptionId, live[0]?.id);
    h.sim.clock.advance(ORDER_DOUBT_WINDOW_MS);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
    assert.deepEqual((await h.changes()).at(-1), {
      userId: megan,
      from: 'Available',
      to: 'Busy',
      source: 'notification',
    });
    const replaced = logLines.filter(
      (l) => l.msg === 'replaced a subscription of this app that pointed at another URL',
    );
    assert.equal(replaced.length, 1);
    assert.equal(replaced[0]?.otherOrigin, new URL(otherDeployment.url).origin);
    assert.ok(!logLines.some((l) => l.code === 'APP_REGISTRATION_SHARED'));
  });

  it('logs APP_REGISTRATION_SHARED when another deployment takes the subscription back', async () => {
    await subscribeOnOtherUrl();
    const keeper = h.keeper({ logger });
    await keeper.runOnce();
    const token = await h.tokens.getToken(h.tenantId, ALEX_ID);
    await graphCall(h.sim, token, 'DELETE', `/subscriptions/${h.live()[0]?.id ?? ''}`);
    await subscribeOnOtherUrl();
    h.sim.clock.advance(44 * MINUTE);

    await keeper.runOnce();

    const shared = logLines.filter((l) => l.code === 'APP_REGISTRATION_SHARED');
    assert.equal(shared.length, 1);
    assert.equal(shared[0]?.level, 50);
    assert.equal(h.live()[0]?.notificationUrl, notificationUrlOf(h.config));
  });
});
