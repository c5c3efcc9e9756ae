import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ADELE_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import {
  allText,
  botMention,
  GROUP_CONVERSATION,
  GROUP_ID,
  mention,
  PERSONAL_ID,
  startBotHarness,
  TENANT_ID,
  type BotHarness,
} from './bot-harness';

const LYNNE_ID = '00000000-0000-0000-0000-0000000000025';

const fromMegan: Partial<Activity> = {
  from: { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: MEGAN_ID },
  conversation: {
    id: 'a:personal-megan',
    conversationType: 'personal',
    tenantId: TENANT_ID,
    isGroup: false,
    name: '',
  },
};

forEachEngine('the watched person’s name stored with the watch', (fixture) => {
  let bot: BotHarness;

  beforeEach(async function () {
    this.timeout(20000);
    bot = await startBotHarness(fixture.store);
    await bot.signIn();
  });

  afterEach(async () => {
    await bot.close();
  });

  const storedNames = async (): Promise<string[][]> =>
    (await listWatches(fixture.store.db)).map((w) => [
      w.conversationId,
      w.targetId,
      w.targetName ?? '',
    ]);

  const namedWatches = () =>
    fixture.store.db
      .selectFrom('watches')
      .select('target_name')
      .where('target_name', 'is not', null)
      .execute();

  it('/watch stores the name of a person found by name, by mention and from the people picker', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    await bot.send({ text: '', value: { verb: 'watchPicked', people: LYNNE_ID } });
    await bot.send({
      conversation: GROUP_CONVERSATION,
      text: '<at>Presence Watch</at> /watch <at>Adele Vance</at>',
      entities: [botMention(), mention('user-id-2', 'Adele Vance')],
    });
    assert.deepEqual(await storedNames(), [
      [PERSONAL_ID, MEGAN_ID.toLowerCase(), 'Megan Bowen'],
      [PERSONAL_ID, LYNNE_ID.toLowerCase(), 'Lynne Robbins'],
      [GROUP_ID, ADELE_ID.toLowerCase(), 'Adele Vance'],
    ]);
  });

  it('/optout deletes the stored name with the watches of the person', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    assert.deepEqual(await storedNames(), [[PERSONAL_ID, MEGAN_ID.toLowerCase(), 'Megan Bowen']]);
    await bot.send({ ...fromMegan, text: '/optout' });
    assert.deepEqual(await namedWatches(), []);
  });

  it('uninstalling deletes the names stored with the watcher’s watches', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    assert.equal((await namedWatches()).length, 1);
    await bot.send({ type: 'installationUpdate', action: 'remove', text: undefined });
    assert.deepEqual(await namedWatches(), []);
  });

  it('the /watching card redrawn for someone not signed in names people by their stored name', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    await bot.send({ text: '/watch Adele Vance' });
    await bot.send({ text: '/signout' });
    const replies = await bot.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: {
          type: 'Action.Execute',
          verb: 'unwatch',
          data: { targetId: MEGAN_ID.toLowerCase() },
        },
      },
    });
    const card = allText((replies[0]?.value as { body: { value: unknown } }).body.value);
    assert.match(card, /Adele Vance/);
  });
});
