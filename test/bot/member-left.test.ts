import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import {
  CHANNEL_CONVERSATION,
  CHANNEL_ID,
  GROUP_CONVERSATION,
  GROUP_ID,
  PERSONAL_ID,
  TENANT_ID,
  type BotHarness,
  useBotHarness,
} from './bot-harness';
import { seedEveryKindOfConversation, seedPendingAlert, seedWatch } from './conversation-seeds';

const TEAM_ID = CHANNEL_ID.split(';')[0]!;
const ALEX = { id: 'user-id-0', name: 'Alex Wilber' };
const lower = (id: string): string => id.toLowerCase();

forEachEngine('a watcher leaves a conversation', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started));

  beforeEach(async () => {
    const db = fixture.store.db;
    await seedEveryKindOfConversation(db);
    await seedWatch(db, GROUP_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db, GROUP_ID, MEGAN_ID, ADELE_ID);
    await seedWatch(db, PERSONAL_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db, CHANNEL_ID, ALEX_ID, ADELE_ID);
    await seedPendingAlert(db, GROUP_ID, 1, MEGAN_ID);
    await seedPendingAlert(db, GROUP_ID, 2, ADELE_ID);
  });

  const watches = async (): Promise<string[]> =>
    (await listWatches(fixture.store.db)).map(
      (w) => `${w.conversationId} ${w.watcherId} ${w.targetId}`,
    );
  const pendingTargets = async (conversationId: string): Promise<string[]> =>
    (
      await fixture.store.db
        .selectFrom('alert_outbox')
        .select('target_id')
        .where('conversation_id', '=', conversationId)
        .orderBy('target_id')
        .execute()
    ).map((row) => row.target_id);
  const update = (activity: Partial<Activity>) =>
    bot.send({ type: 'conversationUpdate', text: undefined, ...activity });

  it('ends the watches they added there, drops their queued alerts, tells the chat and the keeper', async () => {
    const replies = await update({
      conversation: GROUP_CONVERSATION,
      membersRemoved: [{ ...ALEX, aadObjectId: ALEX_ID }],
    });

    assert.deepEqual(await watches(), [
      `${GROUP_ID} ${lower(MEGAN_ID)} ${lower(ADELE_ID)}`,
      `${PERSONAL_ID} ${lower(ALEX_ID)} ${lower(MEGAN_ID)}`,
      `${CHANNEL_ID} ${lower(ALEX_ID)} ${lower(ADELE_ID)}`,
    ]);
    assert.deepEqual(await pendingTargets(GROUP_ID), [lower(ADELE_ID)]);
    assert.deepEqual(bot.keeperWakes, [TENANT_ID]);
    assert.equal(replies.length, 1);
    assert.match(
      String(replies[0]?.text),
      /Alex Wilber left, so the 1 watch they added here has ended/,
    );
  });

  it('finds the leaver by their channel id when Teams sends no Entra id', async () => {
    await bot.send({ text: '/help' });
    await update({ conversation: GROUP_CONVERSATION, membersRemoved: [ALEX] });
    assert.equal(
      (await watches()).filter((w) => w.startsWith(`${GROUP_ID} ${lower(ALEX_ID)}`)).length,
      0,
    );
  });

  it('ends their watches in the team’s channels when they leave the team', async () => {
    await update({
      conversation: { ...CHANNEL_CONVERSATION, id: TEAM_ID },
      channelData: { team: { id: TEAM_ID }, tenant: { id: TENANT_ID } },
      membersRemoved: [{ ...ALEX, aadObjectId: ALEX_ID }],
    });
    assert.equal((await watches()).filter((w) => w.startsWith(CHANNEL_ID)).length, 0);
    assert.equal((await watches()).length, 3);
  });
});
