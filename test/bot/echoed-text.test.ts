import assert from 'node:assert/strict';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import {
  botMention,
  cardOf,
  GROUP_CONVERSATION,
  GROUP_ID,
  PERSONAL_ID,
  type BotHarness,
  useBotHarness,
} from './bot-harness';
import { seedConversation, seedWatch } from './conversation-seeds';

const LINK = '[Verify your account](https://evil.example/login)';

function elements(node: unknown, type: string): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap((child) => elements(child, type));
  if (typeof node !== 'object' || node === null) return [];
  const element = node as Record<string, unknown>;
  const own = element.type === type ? [element] : [];
  return [...own, ...Object.values(element).flatMap((child) => elements(child, type))];
}

/** Markdown a client would render: a link, or emphasis markers, not preceded by a backslash. */
const LIVE_MARKDOWN = /(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)\*\*/;

forEachEngine('what the bot repeats of what users typed', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started), { signedIn: true });

  it('shows a typed link on the /watch card as plain text, never as markdown', async () => {
    const replies = await bot.send({
      conversation: GROUP_CONVERSATION,
      text: `<at>Presence Watch</at> /watch ${LINK}`,
      entities: [botMention()],
    });
    const card = cardOf(replies[0]);
    const blocks = elements(card, 'TextBlock').map((block) => String(block.text));
    assert.ok(
      blocks.every((text) => !text.includes('evil.example')),
      blocks.join('\n'),
    );
    const runs = elements(card, 'TextRun').map((run) => String(run.text));
    assert.ok(runs.some((text) => text.includes(LINK)));
  });

  it('escapes a typed link in the /unwatch answer', async () => {
    const replies = await bot.send({ text: `/unwatch ${LINK}` });
    const text = String(replies[0]?.text);
    assert.match(text, /evil\\\.example/);
    assert.doesNotMatch(text, LIVE_MARKDOWN);
  });

  it('refuses an over-long argument without echoing it or asking Graph', async () => {
    const long = `/watch ${'Megan Bowen, '.repeat(200)}`;
    const replies = await bot.send({ text: long });
    const text = String(replies[0]?.text);
    assert.match(text, /too long for \/watch/);
    assert.ok(text.length < 300);
    const unwatch = await bot.send({ text: `/unwatch ${'x'.repeat(2400)}` });
    assert.match(String(unwatch[0]?.text), /too long for \/unwatch/);
    assert.deepEqual(await listWatches(fixture.store.db, { conversationId: PERSONAL_ID }), []);
  });

  it('caps a long name it could not find to a short quote', async () => {
    const name = `Zed${'z'.repeat(300)}`;
    const replies = await bot.send({ text: `/watch ${name}` });
    const runs = elements(cardOf(replies[0]), 'TextRun').map((run) => String(run.text));
    const note = runs.find((text) => text.includes('Zed')) ?? '';
    assert.ok(note.length < 160, note);
    assert.match(note, /…/);
  });

  it('escapes markdown in names it repeats, such as the opted-out note', async () => {
    await seedWatch(fixture.store.db, PERSONAL_ID, MEGAN_ID, ALEX_ID);
    await seedConversation(fixture.store.db, PERSONAL_ID, 'personal');
    const replies = await bot.send({
      conversation: GROUP_CONVERSATION,
      from: { id: 'user-id-0', name: '[Alex](https://evil.example)', aadObjectId: ALEX_ID },
      text: '<at>Presence Watch</at> /optout',
      entities: [botMention()],
    });
    assert.ok(replies.length > 0);
    for (const post of bot.posted) {
      assert.doesNotMatch(String(post.activity.text), LIVE_MARKDOWN);
    }
    assert.ok(bot.posted.length > 0);
  });

  it('escapes a chat’s name that /whowatchesme repeats', async () => {
    await seedConversation(fixture.store.db, GROUP_ID, 'groupChat', LINK);
    await seedWatch(fixture.store.db, GROUP_ID, MEGAN_ID, ALEX_ID);
    const replies = await bot.send({ text: '/whowatchesme' });
    const text = String(replies[0]?.text);
    assert.match(text, /group chat “\\\[Verify/);
    assert.doesNotMatch(text, LIVE_MARKDOWN);
  });
});
