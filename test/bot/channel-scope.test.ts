import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { enqueueAlert } from '../../src/store/alert-queue';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { cardLines } from '../alerts/card-text';
import {
  allText,
  botMention,
  cardOf,
  CHANNEL_CONVERSATION,
  CHANNEL_ID,
  GROUP_ID,
  mention,
  startBotHarness,
  TENANT_ID,
  type BotHarness,
} from './bot-harness';
import { seedWatch } from './conversation-seeds';

const CHANNEL = CHANNEL_ID.split(';')[0]!;
const OTHER_POST = `${CHANNEL};messageid=9`;
const OTHER_CHANNEL_POST = '19:announcements@thread.tacv2;messageid=3';
const LOOKALIKE_CHANNEL = '19:general@thread.tacv2x;messageid=4';
const lower = (id: string): string => id.toLowerCase();

const ROSTER = [
  { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: ALEX_ID },
  { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: MEGAN_ID },
];

function inPost(conversationId: string, text: string, mentioned: string[] = []) {
  return {
    conversation: { ...CHANNEL_CONVERSATION, id: conversationId },
    text: `<at>Presence Watch</at> ${text}`,
    entities: [
      botMention(),
      ...mentioned.map((name) => mention(name === 'Megan Bowen' ? 'user-id-1' : 'x', name)),
    ],
  };
}

function executeIn(conversationId: string, verb: string, data: Record<string, unknown>) {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    conversation: { ...CHANNEL_CONVERSATION, id: conversationId },
    value: { action: { type: 'Action.Execute', verb, data } },
  } as Partial<Activity>;
}

function invokedCard(replies: Partial<Activity>[]): Record<string, unknown> {
  const body = (replies[0]?.value as { body: { value: Record<string, unknown> } }).body;
  return { attachments: [{ content: body.value }] };
}

forEachEngine('watches "here" in a channel act on the whole channel', (fixture) => {
  let bot: BotHarness;

  beforeEach(async function () {
    this.timeout(20000);
    bot = await startBotHarness(fixture.store);
    for (const member of ROSTER) bot.connector.addMember(OTHER_POST, member);
    await bot.signIn();
  });

  afterEach(async () => {
    await bot.close();
  });

  const db = () => fixture.store.db;
  const targetsIn = async (conversationId: string) =>
    (await listWatches(db(), { conversationId })).map((w) => w.targetId);

  it('/watching in another post lists who was watched from the first post', async () => {
    await bot.send(inPost(CHANNEL_ID, '/watch <at>Megan Bowen</at>', ['Megan Bowen']));
    const replies = await bot.send(inPost(OTHER_POST, '/watching'));
    const text = allText(cardOf(replies[0]));
    assert.match(text, /Watched here \(1\)/);
    assert.match(text, /Megan Bowen/);
  });

  it('/watching shows one line per person watched from two posts, from the earliest watch', async () => {
    await seedWatch(db(), CHANNEL_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db(), OTHER_POST, ADELE_ID, MEGAN_ID);
    const replies = await bot.send(inPost(OTHER_POST, '/watching'));
    const text = allText(cardOf(replies[0]));
    assert.match(text, /Watched here \(1\)/);
    assert.equal(text.match(/"verb":"unwatch"/g)?.length, 1);
    assert.match(text, /added by you/);
  });

  it('/unwatch @Megan in another post stops the watch made in the first post', async () => {
    await seedWatch(db(), CHANNEL_ID, ALEX_ID, MEGAN_ID);
    const replies = await bot.send(
      inPost(OTHER_POST, '/unwatch <at>Megan Bowen</at>', ['Megan Bowen']),
    );
    assert.equal(replies[0]?.text, 'Stopped watching Megan Bowen.');
    assert.deepEqual(await targetsIn(CHANNEL_ID), []);
    assert.deepEqual(bot.keeperWakes, [TENANT_ID]);
  });

  it('/unwatch Megan (a typed name) in another post finds her among the channel’s watches', async () => {
    await seedWatch(db(), CHANNEL_ID, ALEX_ID, MEGAN_ID);
    const replies = await bot.send(inPost(OTHER_POST, '/unwatch Megan'));
    assert.equal(replies[0]?.text, 'Stopped watching Megan Bowen.');
    assert.deepEqual(await targetsIn(CHANNEL_ID), []);
  });

  it('/unwatch all counts people once and leaves other channels and chats alone', async () => {
    await seedWatch(db(), CHANNEL, ALEX_ID, ADELE_ID);
    await seedWatch(db(), CHANNEL_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db(), OTHER_POST, ALEX_ID, MEGAN_ID);
    for (const elsewhere of [OTHER_CHANNEL_POST, LOOKALIKE_CHANNEL, GROUP_ID]) {
      await seedWatch(db(), elsewhere, ALEX_ID, MEGAN_ID);
    }
    const replies = await bot.send(inPost(OTHER_POST, '/unwatch all'));
    assert.equal(replies[0]?.text, 'Stopped watching 2 people here.');
    const left = await listWatches(db());
    assert.deepEqual(
      left.map((w) => w.conversationId).sort(),
      [OTHER_CHANNEL_POST, LOOKALIKE_CHANNEL, GROUP_ID].sort(),
    );
  });

  it('/watch of someone watched from another post says so and adds no second watch', async () => {
    await seedWatch(db(), CHANNEL_ID, ADELE_ID, MEGAN_ID);
    const replies = await bot.send(
      inPost(OTHER_POST, '/watch <at>Megan Bowen</at>', ['Megan Bowen']),
    );
    assert.match(allText(cardOf(replies[0])), /Megan Bowen is already watched in this channel/);
    assert.deepEqual(await targetsIn(OTHER_POST), []);
    assert.deepEqual(await targetsIn(CHANNEL_ID), [lower(MEGAN_ID)]);
  });

  it('the Unwatch button in another post removes the watch made in the first post', async () => {
    await seedWatch(db(), CHANNEL_ID, ALEX_ID, MEGAN_ID);
    const replies = await bot.send(executeIn(OTHER_POST, 'unwatch', { targetId: lower(MEGAN_ID) }));
    assert.match(allText(invokedCard(replies)), /no longer watched/);
    assert.deepEqual(await targetsIn(CHANNEL_ID), []);
  });

  it('"Stop watching" on an alert ends every watch of that person in the channel', async () => {
    await seedWatch(db(), CHANNEL_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db(), OTHER_POST, ADELE_ID, MEGAN_ID);
    await enqueueAlert(
      db(),
      {
        conversationId: CHANNEL_ID,
        tenantId: TENANT_ID,
        nextAttemptAt: 0,
        payload: {
          changeId: 1,
          targetId: lower(MEGAN_ID),
          targetName: 'Megan Bowen',
          kind: 'availability',
          from: { availability: 'Busy', activity: 'InACall' },
          to: { availability: 'Available', activity: 'Available' },
          observedAt: Date.UTC(2026, 11, 4, 9, 30),
        },
      },
      0,
    );
    const { id } = await db().selectFrom('alert_outbox').select('id').executeTakeFirstOrThrow();
    const replies = await bot.send(
      executeIn(CHANNEL_ID, 'stopWatching', { targetId: lower(MEGAN_ID), alertIds: String(id) }),
    );
    assert.deepEqual(cardLines(invokedCard(replies)), [
      'Megan Bowen is now Available',
      'Megan Bowen is no longer watched here.',
    ]);
    assert.deepEqual(await listWatches(db(), { targetId: MEGAN_ID }), []);
  });
});
