import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ALEX_ID, MEGAN_ID, tokenFor } from '../helpers/tenant-simulator-harness';
import { allText, cardOf, PERSONAL_ID, type BotHarness, useBotHarness } from './bot-harness';

const exchange = (id: string, token = 'sso-token'): Partial<Activity> => ({
  type: 'invoke',
  name: 'signin/tokenExchange',
  value: { id, connectionName: 'graph', token },
});

function statusesOf(replies: Partial<Activity>[]): number[] {
  return replies
    .filter((reply) => reply.type === 'invokeResponse')
    .map((reply) => (reply.value as { status: number }).status)
    .sort();
}

function textsOf(replies: Partial<Activity>[]): string[] {
  return replies
    .filter((reply) => reply.type === 'message')
    .map((reply) => (reply.attachments?.length ? allText(cardOf(reply)) : String(reply.text)));
}

forEachEngine('Teams SSO token exchange', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started));

  it('runs the waiting command once for three identical simultaneous exchanges', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    bot.tokenClient.ssoTokens.set('sso-token', await tokenFor(bot.sim, ALEX_ID));
    const replies = (
      await Promise.all([1, 2, 3].map(() => bot.send(exchange('exchange-1'))))
    ).flat();
    assert.deepEqual(statusesOf(replies), [200, 412, 412]);
    const texts = textsOf(replies);
    assert.equal(texts.filter((text) => /Watching Megan Bowen/.test(text)).length, 1, texts.join());
    assert.ok(!texts.some((text) => /went wrong/.test(text)), texts.join());
    assert.equal((await listWatches(fixture.store.db, { conversationId: PERSONAL_ID })).length, 1);
  });

  it('answers a later copy of an exchange id 412, and a new id normally', async () => {
    bot.tokenClient.ssoTokens.set('sso-token', await tokenFor(bot.sim, ALEX_ID));
    assert.deepEqual(statusesOf(await bot.send(exchange('exchange-2'))), [200]);
    assert.deepEqual(statusesOf(await bot.send(exchange('exchange-2'))), [412]);
    assert.deepEqual(statusesOf(await bot.send(exchange('exchange-3'))), [200]);
  });

  it('refuses a token of another user, signs it out and runs nothing', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    bot.tokenClient.ssoTokens.set('sso-token', await tokenFor(bot.sim, MEGAN_ID));
    const replies = await bot.send(exchange('exchange-4'));
    assert.deepEqual(statusesOf(replies), [412]);
    assert.deepEqual(textsOf(replies), []);
    assert.ok(bot.tokenClient.calls.includes('signOutUser user-id-0'));
    assert.equal(bot.tokenClient.tokens.has('user-id-0'), false);
    assert.deepEqual(await listWatches(fixture.store.db, { conversationId: PERSONAL_ID }), []);
  });

  it('refuses a token of the right user from another tenant', async () => {
    bot.tokenClient.ssoTokens.set('sso-token', await tokenFor(bot.sim, ALEX_ID));
    const replies = await bot.send({
      ...exchange('exchange-5'),
      conversation: {
        id: PERSONAL_ID,
        conversationType: 'personal',
        tenantId: '11111111-2222-3333-4444-555555555555',
        isGroup: false,
        name: '',
      },
    });
    assert.deepEqual(statusesOf(replies), [412]);
    assert.equal(bot.tokenClient.tokens.has('user-id-0'), false);
  });
});
