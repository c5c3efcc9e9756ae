import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { WHO_WATCHES_RULE } from '../../src/bot/commands/whowatchesme-command';
import { hasOptedOut } from '../../src/store/privacy-opt-outs';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import {
  allText,
  botMention,
  cardOf,
  CHANNEL_ID,
  GROUP_CONVERSATION,
  GROUP_ID,
  mention,
  PERSONAL_ID,
  TENANT_ID,
  type BotHarness,
  useBotHarness,
} from './bot-harness';
import { seedConversation, seedWatch } from './conversation-seeds';

const MEGAN_PERSONAL = 'a:personal-megan';
const ADELE_PERSONAL = 'a:personal-adele';
const OTHER_GROUP = '19:secret-plans@thread.v2';
const lower = (id: string): string => id.toLowerCase();

const fromMegan: Partial<Activity> = {
  from: { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: MEGAN_ID },
  conversation: {
    id: MEGAN_PERSONAL,
    conversationType: 'personal',
    tenantId: TENANT_ID,
    isGroup: false,
    name: '',
  },
};

forEachEngine('bot privacy commands', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started));

  beforeEach(async () => {
    const db = fixture.store.db;
    await seedConversation(db, MEGAN_PERSONAL, 'personal');
    await seedConversation(db, ADELE_PERSONAL, 'personal');
    await seedConversation(db, GROUP_ID, 'groupChat', 'Project');
    await seedConversation(db, CHANNEL_ID, 'channel', 'General');
    await seedConversation(db, OTHER_GROUP, 'groupChat', 'Secret plans');
  });

  const textOf = (replies: Partial<Activity>[]): string => String(replies[0]?.text);
  const watchMeganInGroup = () =>
    bot.send({
      conversation: GROUP_CONVERSATION,
      text: '<at>Presence Watch</at> /watch <at>Megan Bowen</at>',
      entities: [botMention(), mention('user-id-1', 'Megan Bowen')],
    });

  describe('/whowatchesme', () => {
    it('names chats the asker is in and only counts private chats and chats they are not in', async () => {
      const db = fixture.store.db;
      await seedWatch(db, MEGAN_PERSONAL, MEGAN_ID, ALEX_ID);
      await seedWatch(db, ADELE_PERSONAL, ADELE_ID, ALEX_ID);
      await seedWatch(db, GROUP_ID, MEGAN_ID, ALEX_ID);
      await seedWatch(db, CHANNEL_ID, ADELE_ID, ALEX_ID);
      await seedWatch(db, OTHER_GROUP, MEGAN_ID, ALEX_ID);
      await seedWatch(db, OTHER_GROUP, MEGAN_ID, ADELE_ID);
      const replies = await bot.send({ text: '/whowatchesme' });
      assert.equal(replies.length, 1);
      const text = textOf(replies);
      assert.match(text, /^5 conversations watch your presence:/);
      assert.match(text, /- group chat “Project”/);
      assert.match(text, /- channel “General”/);
      assert.match(text, /- 2 private chats\n/);
      assert.match(text, /- 1 group chat or channel you are not in/);
      assert.ok(text.includes(WHO_WATCHES_RULE));
      for (const secret of ['Secret plans', 'Megan', 'Adele', MEGAN_PERSONAL, ADELE_PERSONAL]) {
        assert.ok(!text.includes(secret), `reveals ${secret}`);
      }
    });

    it('calls the conversation it is asked in "this conversation"', async () => {
      await seedWatch(fixture.store.db, GROUP_ID, MEGAN_ID, ALEX_ID);
      const replies = await bot.send({
        conversation: GROUP_CONVERSATION,
        text: '<at>Presence Watch</at> /whowatchesme',
        entities: [botMention()],
      });
      assert.match(
        textOf(replies),
        /^1 conversation watches your presence:\n\n- this conversation/,
      );
    });

    it('says nobody watches when nobody does', async () => {
      await seedWatch(fixture.store.db, GROUP_ID, ALEX_ID, MEGAN_ID);
      assert.equal(
        textOf(await bot.send({ text: '/whowatchesme' })),
        'Nobody watches your presence.',
      );
    });
  });

  describe('/optout and /optin', () => {
    it('removes every watch of the asker, notes it in each other conversation, and wakes the keeper', async () => {
      const db = fixture.store.db;
      await seedWatch(db, MEGAN_PERSONAL, MEGAN_ID, ALEX_ID);
      await seedWatch(db, GROUP_ID, MEGAN_ID, ALEX_ID);
      await seedWatch(db, GROUP_ID, ALEX_ID, ADELE_ID);
      await seedWatch(db, PERSONAL_ID, ALEX_ID, ALEX_ID);
      const replies = await bot.send({ text: '/optout' });
      assert.deepEqual(
        (await listWatches(db)).map((w) => [w.conversationId, w.targetId]),
        [[GROUP_ID, lower(ADELE_ID)]],
      );
      assert.deepEqual(bot.keeperWakes, [TENANT_ID]);
      assert.deepEqual(
        bot.posted.map((p) => p.conversationId).sort(),
        [GROUP_ID, MEGAN_PERSONAL].sort(),
      );
      for (const { activity } of bot.posted) {
        assert.equal(
          activity.text,
          'Alex Wilber has opted out of presence watching, so I’ve stopped watching them in this conversation.',
        );
      }
      assert.match(
        textOf(replies),
        /^You’re opted out.*I stopped watching you in 3 conversations and left a short note in 2 conversations\. Send \/optin/,
      );
      assert.equal(await hasOptedOut(db, TENANT_ID, ALEX_ID), true);
    });

    it('refuses a new watch of someone who opted out, without showing their presence', async () => {
      await bot.send({ ...fromMegan, text: '/optout' });
      bot.sim.setPresence(MEGAN_ID, { availability: 'Busy', activity: 'InAMeeting' });
      await bot.signIn();
      const replies = await watchMeganInGroup();
      assert.deepEqual(await listWatches(fixture.store.db), []);
      assert.deepEqual(bot.keeperWakes, []);
      const card = allText(cardOf(replies[0]));
      assert.match(card, /Nobody new to watch/);
      assert.match(card, /Megan Bowen has opted out of presence watching, so I can’t watch them\./);
      assert.doesNotMatch(card, /In a meeting|Busy/);
    });

    it('lets people watch the asker again after /optin', async () => {
      await bot.send({ ...fromMegan, text: '/optout' });
      const optIn = await bot.send({ ...fromMegan, text: '/optin' });
      assert.match(textOf(optIn), /^You’re opted in/);
      await bot.signIn();
      await watchMeganInGroup();
      assert.deepEqual(
        (await listWatches(fixture.store.db)).map((w) => w.targetId),
        [lower(MEGAN_ID)],
      );
      const again = await bot.send({ ...fromMegan, text: '/optin' });
      assert.match(textOf(again), /^You weren’t opted out/);
    });

    it('anchors the commands: /optoutx and /optin now are not commands', async () => {
      for (const text of ['/optoutx', '/optin now', '/whowatchesmenow']) {
        const replies = await bot.send({ ...fromMegan, text });
        assert.match(textOf(replies), /^I didn’t understand that/, text);
      }
      assert.equal(await hasOptedOut(fixture.store.db, TENANT_ID, MEGAN_ID), false);
    });

    it('needs to know who is asking', async () => {
      const replies = await bot.send({ from: { id: 'user-id-9', name: 'Guest' }, text: '/optout' });
      assert.match(textOf(replies), /can’t tell who you are/);
    });
  });
});
