import assert from 'node:assert/strict';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import {
  allText,
  cardOf,
  CHANNEL_CONVERSATION,
  GROUP_CONVERSATION,
  GROUP_ID,
  PERSONAL_ID,
  type BotHarness,
  useBotHarness,
} from './bot-harness';

const PATTI_ID = '00000000-0000-0000-0000-0000000000024';
const LYNNE_ID = '00000000-0000-0000-0000-0000000000025';
const UNKNOWN_ID = '00000000-0000-0000-0000-0000000000099';
const lower = (id: string): string => id.toLowerCase();

forEachEngine('people picker and directory checks', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started), { signedIn: true });

  const watchedIn = async (conversationId: string): Promise<string[]> =>
    (await listWatches(fixture.store.db, { conversationId })).map((w) => w.targetId).sort();
  const pick = (people: string, conversation?: typeof GROUP_CONVERSATION) =>
    bot.send({
      ...(conversation ? { conversation } : {}),
      text: '',
      value: { verb: 'watchPicked', people },
    });

  it('watches Playground ids picked in a personal chat, where only the user is a member', async () => {
    const replies = await pick('user-id-2,user-id-4');
    assert.deepEqual(await watchedIn(PERSONAL_ID), [lower(ADELE_ID), lower(PATTI_ID)].sort());
    assert.match(allText(cardOf(replies[0])), /Watching Adele Vance, Patti Fernandez/);
  });

  it('watches Entra object ids picked in every scope, named from the directory', async () => {
    for (const conversation of [undefined, GROUP_CONVERSATION, CHANNEL_CONVERSATION]) {
      const replies = await pick(`${LYNNE_ID},${MEGAN_ID}`, conversation);
      assert.match(allText(cardOf(replies[0])), /Watching Lynne Robbins, Megan Bowen/);
    }
    assert.deepEqual(await watchedIn(GROUP_ID), [lower(LYNNE_ID), lower(MEGAN_ID)].sort());
  });

  it('refuses ids the directory does not know and watches the rest', async () => {
    const replies = await pick(`${UNKNOWN_ID},user-id-77,${ADELE_ID}`);
    assert.deepEqual(await watchedIn(PERSONAL_ID), [lower(ADELE_ID)]);
    const card = allText(cardOf(replies[0]));
    assert.match(card, /Watching Adele Vance/);
    assert.match(card, /(isn’t|aren’t) in your organisation’s directory/);
    assert.doesNotMatch(card, new RegExp(UNKNOWN_ID));
  });

  it('refuses a submit of nothing but unknown ids and stores nothing', async () => {
    const replies = await pick(`${UNKNOWN_ID},'); DROP`);
    assert.deepEqual(await watchedIn(PERSONAL_ID), []);
    assert.match(allText(cardOf(replies[0])), /Nobody new to watch/);
    assert.deepEqual(bot.keeperWakes, []);
  });

  it('confirms mentioned people in the directory before watching them', async () => {
    bot.connector.addMember(GROUP_ID, { id: 'user-id-9', name: 'Ghost', aadObjectId: UNKNOWN_ID });
    const replies = await bot.send({
      conversation: GROUP_CONVERSATION,
      text: '<at>Presence Watch</at> /watch <at>Ghost</at>',
      entities: [
        { type: 'mention', mentioned: { id: '28:presence-watch-bot', name: 'Presence Watch' } },
        { type: 'mention', mentioned: { id: 'user-id-9', name: 'Ghost' }, text: '<at>Ghost</at>' },
      ],
    });
    assert.deepEqual(await watchedIn(GROUP_ID), []);
    assert.match(allText(cardOf(replies[0])), /Nobody new to watch/);
  });

  it('refuses to watch the asker, with a reason', async () => {
    const replies = await pick(`user-id-0,${ADELE_ID}`);
    assert.deepEqual(await watchedIn(PERSONAL_ID), [lower(ADELE_ID)]);
    assert.match(allText(cardOf(replies[0])), /you already know your own presence/);
    assert.doesNotMatch(allText(cardOf(replies[0])), new RegExp(lower(ALEX_ID)));
  });
});
