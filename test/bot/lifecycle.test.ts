import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { HELP_TEXT } from '../../src/bot/commands/help-command';
import { getConversationReference } from '../../src/store/conversation-references';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import {
  BOT_ID,
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
const BOT = { id: BOT_ID, name: 'Presence Watch' };
const MEGAN = { id: 'user-id-1', name: 'Megan Bowen' };

forEachEngine('bot lifecycle', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started));

  beforeEach(async () => {
    const db = fixture.store.db;
    await seedEveryKindOfConversation(db);
    await seedWatch(db, GROUP_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db, GROUP_ID, ALEX_ID, ADELE_ID);
    await seedWatch(db, PERSONAL_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db, CHANNEL_ID, ALEX_ID, ADELE_ID);
    await seedPendingAlert(db, GROUP_ID, 1, MEGAN_ID);
    await seedPendingAlert(db, PERSONAL_ID, 1, MEGAN_ID);
  });

  const watchedConversations = async (): Promise<string[]> =>
    [...new Set((await listWatches(fixture.store.db)).map((w) => w.conversationId))].sort();
  const pendingAlertConversations = async (): Promise<string[]> =>
    (
      await fixture.store.db
        .selectFrom('alert_outbox')
        .select('conversation_id')
        .orderBy('conversation_id')
        .execute()
    ).map((row) => row.conversation_id);
  const update = (activity: Partial<Activity>) =>
    bot.send({ type: 'conversationUpdate', text: undefined, ...activity });

  it('forgets a group chat the bot is removed from, and wakes the keeper', async () => {
    const replies = await update({
      conversation: GROUP_CONVERSATION,
      membersRemoved: [MEGAN, BOT],
    });
    assert.deepEqual(replies, []);
    assert.deepEqual(await watchedConversations(), [CHANNEL_ID, PERSONAL_ID].sort());
    assert.equal(await getConversationReference(fixture.store.db, GROUP_ID), undefined);
    assert.ok(await getConversationReference(fixture.store.db, PERSONAL_ID));
    assert.deepEqual(await pendingAlertConversations(), [PERSONAL_ID]);
    assert.deepEqual(bot.keeperWakes, [TENANT_ID]);
  });

  it('keeps everything when someone else leaves the chat', async () => {
    await update({ conversation: GROUP_CONVERSATION, membersRemoved: [MEGAN] });
    assert.deepEqual(await watchedConversations(), [CHANNEL_ID, GROUP_ID, PERSONAL_ID].sort());
    assert.ok(await getConversationReference(fixture.store.db, GROUP_ID));
    assert.deepEqual(bot.keeperWakes, []);
  });

  it('forgets the conversation when the app is uninstalled (remove and remove-upgrade)', async () => {
    await update({ type: 'installationUpdate', action: 'add' });
    assert.deepEqual(await watchedConversations(), [CHANNEL_ID, GROUP_ID, PERSONAL_ID].sort());
    await update({
      type: 'installationUpdate',
      action: 'remove-upgrade',
      conversation: GROUP_CONVERSATION,
    });
    assert.deepEqual(await watchedConversations(), [CHANNEL_ID, PERSONAL_ID].sort());
    assert.equal(await getConversationReference(fixture.store.db, GROUP_ID), undefined);
    assert.deepEqual(await pendingAlertConversations(), [PERSONAL_ID]);
    await update({ type: 'installationUpdate', action: 'remove' });
    assert.deepEqual(await watchedConversations(), [], 'the uninstalling user’s watches go too');
    assert.equal(await getConversationReference(fixture.store.db, PERSONAL_ID), undefined);
    assert.deepEqual(await pendingAlertConversations(), []);
    assert.ok(bot.keeperWakes.length > 0 && bot.keeperWakes.every((t) => t === TENANT_ID));
  });

  it('forgets the team channel and its reply chains when the bot is removed from the team', async () => {
    const replies = await update({
      conversation: { ...CHANNEL_CONVERSATION, id: TEAM_ID },
      channelData: { team: { id: TEAM_ID }, tenant: { id: TENANT_ID } },
      membersRemoved: [BOT],
    });
    assert.deepEqual(replies, []);
    assert.deepEqual(await watchedConversations(), [GROUP_ID, PERSONAL_ID].sort());
    assert.equal(await getConversationReference(fixture.store.db, CHANNEL_ID), undefined);
    assert.deepEqual(bot.keeperWakes, [TENANT_ID]);
  });

  it('welcomes with the commands when the bot is added, and says nothing when others join', async () => {
    const inTeam = await update({ conversation: CHANNEL_CONVERSATION, membersAdded: [BOT] });
    assert.equal(inTeam.length, 1, 'a welcome in the channel when the bot joins a team');
    assert.match(String(inTeam[0]?.text), /@mention me/);
    const added = await update({ conversation: GROUP_CONVERSATION, membersAdded: [BOT] });
    assert.equal(added.length, 1);
    assert.match(String(added[0]?.text), /^Hi, I’m Presence Watch\./);
    assert.ok(String(added[0]?.text).endsWith(HELP_TEXT));
    const joined = await update({ conversation: GROUP_CONVERSATION, membersAdded: [MEGAN] });
    assert.deepEqual(joined, []);
    assert.deepEqual(await watchedConversations(), [CHANNEL_ID, GROUP_ID, PERSONAL_ID].sort());
  });

  it('welcomes each conversation once, again only after the bot was removed', async () => {
    const personal = {
      conversation: {
        ...GROUP_CONVERSATION,
        id: PERSONAL_ID,
        conversationType: 'personal',
        isGroup: false,
      },
    };
    const first = await update({ ...personal, membersAdded: [BOT] });
    assert.equal(first.length, 1);
    const reload = await update({ ...personal, membersAdded: [BOT] });
    assert.deepEqual(reload, [], 'a Playground reload adds the bot again: no second welcome');
    await update({ conversation: GROUP_CONVERSATION, membersAdded: [BOT] });
    assert.deepEqual(await update({ conversation: GROUP_CONVERSATION, membersAdded: [BOT] }), []);
    await update({ conversation: GROUP_CONVERSATION, membersRemoved: [BOT] });
    const readded = await update({ conversation: GROUP_CONVERSATION, membersAdded: [BOT] });
    assert.equal(readded.length, 1);
  });
});
