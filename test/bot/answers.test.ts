import assert from 'node:assert/strict';
import { forEachEngine } from '../helpers/for-each-engine';
import { allText, cardOf, type BotHarness, useBotHarness } from './bot-harness';

forEachEngine('answers that say what happened', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started), { signedIn: true });

  it('says someone who exists but is not watched here is not watched here', async () => {
    const replies = await bot.send({ text: '/unwatch @Lynne Robbins' });
    assert.match(String(replies[0]?.text), /^Lynne Robbins isn’t watched here\./);
    assert.doesNotMatch(String(replies[0]?.text), /couldn’t find/);
  });

  it('refuses an opted-out user watching themself without calling them "them"', async () => {
    await bot.send({ text: '/optout' });
    const replies = await bot.send({ text: '/watch AlexW@example.com' });
    const card = allText(cardOf(replies[0]));
    assert.match(card, /That’s you/);
    assert.doesNotMatch(card, /\bthem\b/);
  });
});
