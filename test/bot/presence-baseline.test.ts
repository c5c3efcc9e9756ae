import assert from 'node:assert/strict';
import { fanOutPresenceChanges } from '../../src/alerts/alert-fanout';
import { silentLogger } from '../../src/logging/logger';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { listConversationAlerts } from '../../src/store/conversation-alerts';
import { applyPresenceObservation } from '../../src/store/presence-state';
import { forEachEngine } from '../helpers/for-each-engine';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import {
  allText,
  cardOf,
  GROUP_ID,
  PERSONAL_ID,
  TENANT_ID,
  type BotHarness,
  useBotHarness,
} from './bot-harness';
import { seedWatch } from './conversation-seeds';

const NOW = 1_700_000_000_000;

forEachEngine('the presence a reply shows is the baseline', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started), { signedIn: true });

  beforeEach(async () => {
    await applyPresenceObservation(fixture.store.db, {
      tenantId: TENANT_ID,
      userId: MEGAN_ID,
      ...COMMON_PRESENCES.available,
      observedAt: NOW - 3_600_000,
      source: 'notification',
    });
    bot.sim.setPresence(MEGAN_ID, COMMON_PRESENCES.inACall);
  });

  const fanOut = () =>
    fanOutPresenceChanges(fixture.store, {
      owner: 'fanout-test',
      batchSize: 100,
      leaseMs: 60_000,
      coalesceWindowMs: 2_000,
      now: () => NOW + 5_000,
      logger: silentLogger(),
    });
  const alertsIn = async (conversationId: string): Promise<string[]> =>
    (await listConversationAlerts(fixture.store.db, conversationId)).map(
      (alert) => `${alert.payload.from.availability} -> ${alert.payload.to.availability}`,
    );
  const keeperResync = () =>
    applyPresenceObservation(fixture.store.db, {
      tenantId: TENANT_ID,
      userId: MEGAN_ID,
      ...COMMON_PRESENCES.inACall,
      observedAt: NOW + 2_000,
      source: 'resync',
    });

  it('/watch of someone whose last-known presence is stale alerts nobody who was shown it', async () => {
    await seedWatch(fixture.store.db, GROUP_ID, ALEX_ID, MEGAN_ID);
    const replies = await bot.send({ text: '/watch MeganB@example.com' });
    assert.match(allText(cardOf(replies[0])), /In a call/);
    await keeperResync();
    await fanOut();
    assert.deepEqual(await alertsIn(PERSONAL_ID), []);
    assert.deepEqual(await alertsIn(GROUP_ID), ['Available -> Busy'], 'the group was not shown it');
  });

  it('/watching with a live read makes what it shows the baseline of the conversation’s watches', async () => {
    await seedWatch(fixture.store.db, PERSONAL_ID, ALEX_ID, MEGAN_ID);
    const replies = await bot.send({ text: '/watching' });
    assert.match(allText(cardOf(replies[0])), /In a call/);
    await keeperResync();
    await fanOut();
    assert.deepEqual(await alertsIn(PERSONAL_ID), []);
  });

  it('a later real change still alerts', async () => {
    await bot.send({ text: '/watch MeganB@example.com' });
    await applyPresenceObservation(fixture.store.db, {
      tenantId: TENANT_ID,
      userId: MEGAN_ID,
      ...COMMON_PRESENCES.available,
      observedAt: NOW + 3_000,
      source: 'notification',
    });
    await fanOut();
    assert.deepEqual(await alertsIn(PERSONAL_ID), ['Busy -> Available']);
  });
});
