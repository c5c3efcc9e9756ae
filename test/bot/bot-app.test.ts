import assert from 'node:assert/strict';
import { listWatches } from '../../src/store/watches';
import { HELP_TEXT } from '../../src/bot/commands/help-command';
import { isAppError } from '../../src/errors/app-error';
import { forEachEngine } from '../helpers/for-each-engine';
import { signInLinkIn } from '../helpers/sign-in-link';
import { ADELE_ID, ALEX_ID, MEGAN_ID, tokenFor } from '../helpers/tenant-simulator-harness';
import {
  allText,
  botMention,
  cardOf,
  CHANNEL_CONVERSATION,
  GROUP_CONVERSATION,
  GROUP_ID,
  mention,
  PERSONAL_ID,
  TENANT_ID,
  type BotHarness,
  useBotHarness,
} from './bot-harness';

const lower = (id: string): string => id.toLowerCase();
const OAUTH_CARD = 'application/vnd.microsoft.card.oauth';

forEachEngine('bot conversation', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started));

  const watchesIn = (conversationId: string) => listWatches(fixture.store.db, { conversationId });

  it('watches mentioned people in a group chat and replies with their presence', async () => {
    await bot.signIn();
    bot.sim.setPresence(MEGAN_ID, { availability: 'Busy', activity: 'InAMeeting' });
    const replies = await bot.send({
      conversation: GROUP_CONVERSATION,
      text: '<at>Presence Watch</at> /watch <at>Megan Bowen</at> <at>Adele Vance</at>',
      entities: [
        botMention(),
        mention('user-id-1', 'Megan Bowen'),
        mention('user-id-2', 'Adele Vance'),
      ],
    });
    const stored = await watchesIn(GROUP_ID);
    assert.deepEqual(
      stored.map((w) => [w.watcherId, w.targetId, w.tenantId]),
      [
        [lower(ALEX_ID), lower(MEGAN_ID), TENANT_ID],
        [lower(ALEX_ID), lower(ADELE_ID), TENANT_ID],
      ],
    );
    assert.deepEqual(bot.keeperWakes, [TENANT_ID]);
    assert.equal(replies.length, 1);
    const card = allText(cardOf(replies[0]));
    assert.match(card, /Watching Megan Bowen, Adele Vance/);
    assert.match(card, /In a meeting/);
    assert.match(card, /"color":"Attention"/);
    const known = await fixture.store.db
      .selectFrom('presence_state')
      .select(['user_id', 'availability', 'activity'])
      .where('user_id', '=', lower(MEGAN_ID))
      .execute();
    assert.deepEqual(known, [
      { user_id: lower(MEGAN_ID), availability: 'Busy', activity: 'InAMeeting' },
    ]);
  });

  it('takes options after the people and ignores the bot mention and odd names', async () => {
    await bot.signIn();
    const odd = "O'Brien (Sales) [*]+? $1";
    const replies = await bot.send({
      conversation: CHANNEL_CONVERSATION,
      text: `<at>Presence Watch</at>&nbsp;/watch <at>${odd}</at> <at>Megan Bowen</at> when available  ONCE`,
      entities: [botMention(), mention('user-id-2', odd), mention('user-id-1', 'Megan Bowen')],
    });
    const stored = await watchesIn(CHANNEL_CONVERSATION.id);
    assert.deepEqual(
      stored.map((w) => w.targetId).sort(),
      [lower(ADELE_ID), lower(MEGAN_ID)].sort(),
    );
    for (const watch of stored) {
      assert.deepEqual(
        [watch.onlyWhenAvailable, watch.once, watch.includeActivity],
        [true, true, false],
      );
    }
    assert.match(allText(cardOf(replies[0])), /only when available, once/);
  });

  it('ignores group-chat messages that do not mention the bot', async () => {
    await bot.signIn();
    const replies = await bot.send({
      conversation: GROUP_CONVERSATION,
      text: '/watch <at>Megan Bowen</at>',
      entities: [mention('user-id-1', 'Megan Bowen')],
    });
    assert.deepEqual(replies, []);
    assert.deepEqual(await watchesIn(GROUP_ID), []);
  });

  it('anchors commands: /watchlist is not /watch and gets help', async () => {
    await bot.signIn();
    const replies = await bot.send({ text: '/watchlist Megan Bowen' });
    assert.equal(replies.length, 1);
    assert.match(String(replies[0]?.text), /didn’t understand/);
    assert.deepEqual(await watchesIn(PERSONAL_ID), []);
  });

  it('answers a card submit with a made-up verb or a value that is no object as unknown input', async () => {
    await bot.signIn();
    const values = [
      { verb: 'toString' },
      { verb: 'constructor' },
      { verb: '__proto__' },
      null,
      'x',
    ];
    for (const value of values) {
      const replies = await bot.send({ text: '', value });
      assert.equal(replies.length, 1, `one answer to ${JSON.stringify(value)}`);
      assert.match(String(replies[0]?.text), /didn’t understand/, JSON.stringify(value));
    }
  });

  it('answers /help and unknown input with the command list', async () => {
    const help = await bot.send({ text: '/help' });
    assert.equal(help[0]?.text, HELP_TEXT);
    const unknown = await bot.send({ text: 'hello there' });
    assert.ok(String(unknown[0]?.text).endsWith(HELP_TEXT));
  });

  it('asks for the code with an @mention in a group chat, where unmentioned messages never arrive', async () => {
    const replies = await bot.send({
      conversation: GROUP_CONVERSATION,
      text: '<at>Presence Watch</at> /watch <at>Megan Bowen</at>',
      entities: [botMention(), mention('user-id-1', 'Megan Bowen')],
    });
    assert.match(allText(cardOf(replies[0])), /6-digit code here with an @mention of me/);
  });

  it('asks an unsigned user to sign in, then finishes the watch when the code is pasted', async () => {
    const signInReplies = await bot.send({ text: '/watch MeganB@example.com with activity' });
    assert.equal(signInReplies.length, 1);
    const card = allText(cardOf(signInReplies[0]));
    assert.match(card, /paste the 6-digit code/);
    assert.doesNotMatch(card, /Redeem|oauth/i);
    assert.notEqual(signInReplies[0]?.attachments?.[0]?.contentType, OAUTH_CARD);
    const link = new URL(signInLinkIn(signInReplies[0]?.attachments) ?? '');
    assert.equal(`${link.origin}${link.pathname}`, `${bot.sim.url}/signin`);
    const state = JSON.parse(
      Buffer.from(link.searchParams.get('state') ?? '', 'base64').toString(),
    );
    assert.equal(state.connectionName, 'graph');
    assert.equal(state.conversation.user.id, 'user-id-0');
    assert.deepEqual(await watchesIn(PERSONAL_ID), []);

    bot.tokenClient.magicCodes.set('user-id-0', { code: '123456', token: await tokenOfAlex(bot) });
    const done = await bot.send({ text: '123456' });
    assert.equal(done[0]?.text, 'You are signed in.');
    assert.match(allText(cardOf(done[1])), /Watching Megan Bowen/);
    const stored = await watchesIn(PERSONAL_ID);
    assert.deepEqual(
      stored.map((w) => [w.targetId, w.includeActivity]),
      [[lower(MEGAN_ID), true]],
    );
  });

  it('refuses a wrong code with a new sign-in card and keeps nothing', async () => {
    await bot.send({ text: '/watch MeganB@example.com' });
    bot.tokenClient.magicCodes.set('user-id-0', { code: '123456', token: await tokenOfAlex(bot) });
    const replies = await bot.send({ text: '654321' });
    assert.match(String(replies[0]?.text), /didn’t work/);
    assert.ok(signInLinkIn(replies[0]?.attachments));
    assert.deepEqual(await watchesIn(PERSONAL_ID), []);
  });

  it('completes the pending command after a Teams SSO token exchange', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    bot.tokenClient.ssoTokens.set('sso-token', await tokenOfAlex(bot));
    const replies = await bot.send({
      type: 'invoke',
      name: 'signin/tokenExchange',
      value: { id: 'x1', connectionName: 'graph', token: 'sso-token' },
    });
    assert.deepEqual(replies[0]?.value, {
      status: 200,
      body: { id: 'x1', connectionName: 'graph' },
    });
    assert.match(allText(cardOf(replies[1])), /Watching Megan Bowen/);
    assert.equal((await watchesIn(PERSONAL_ID)).length, 1);
  });

  it('answers 412 to a token exchange the token service refuses', async () => {
    const replies = await bot.send({
      type: 'invoke',
      name: 'signin/tokenExchange',
      value: { id: 'x2', connectionName: 'graph', token: 'unknown' },
    });
    assert.equal((replies[0]?.value as { status: number }).status, 412);
  });

  it('redeems signin/verifyState and runs the waiting command', async () => {
    await bot.send({ text: '/watch Adele Vance' });
    bot.tokenClient.magicCodes.set('user-id-0', { code: '777777', token: await tokenOfAlex(bot) });
    const replies = await bot.send({
      type: 'invoke',
      name: 'signin/verifyState',
      value: { state: '777777' },
    });
    assert.equal((replies[0]?.value as { status: number }).status, 200);
    assert.deepEqual(
      (await watchesIn(PERSONAL_ID)).map((w) => w.targetId),
      [lower(ADELE_ID)],
    );
  });

  it('offers candidates for an ambiguous name and watches the one picked', async () => {
    await bot.signIn();
    const replies = await bot.send({ text: '/watch Al once' });
    assert.equal(replies.length, 1);
    const card = cardOf(replies[0]);
    const text = allText(card);
    assert.match(text, /Which \\"Al\\" do you mean/);
    assert.match(text, /Alex Wilber/);
    assert.match(text, /Allan Deyoung/);
    assert.deepEqual(await watchesIn(PERSONAL_ID), []);
    const actions = (
      card?.body as { type: string; actions?: { data: Record<string, unknown> }[] }[]
    )
      .filter((item) => item.type === 'ActionSet')
      .flatMap((item) => item.actions ?? []);
    const allan = actions.find(
      (a) => a.data.targetId !== lower(ALEX_ID) && a.data.targetId !== ALEX_ID,
    );
    assert.equal(allan?.data.once, true);
    await bot.send({ text: '', value: allan?.data });
    const stored = await watchesIn(PERSONAL_ID);
    assert.deepEqual(
      stored.map((w) => [w.targetId, w.once]),
      [[lower(String(allan?.data.targetId)), true]],
    );
  });

  it('sends the people picker for /watch alone, scoped to the chat in group chats', async () => {
    const personal = await bot.send({ text: '/watch' });
    assert.match(allText(cardOf(personal[0])), /"dataset":"graph.microsoft.com\/users"/);
    const group = await bot.send({
      conversation: GROUP_CONVERSATION,
      text: '<at>Presence Watch</at> /watch',
      entities: [botMention()],
    });
    assert.match(allText(cardOf(group[0])), /users\?scope=currentContext/);
  });

  it('watches people picked in the picker, resolving Playground ids through the roster', async () => {
    await bot.signIn();
    await bot.send({
      conversation: GROUP_CONVERSATION,
      text: '',
      value: { verb: 'watchPicked', people: `user-id-1,${ADELE_ID}`, includeActivity: 'true' },
    });
    const stored = await watchesIn(GROUP_ID);
    assert.deepEqual(
      stored.map((w) => [w.targetId, w.includeActivity]),
      [
        [lower(MEGAN_ID), true],
        [lower(ADELE_ID), true],
      ],
    );
  });

  it('unwatches by mention and all, and tells the keeper', async () => {
    await bot.signIn();
    const group = { conversation: GROUP_CONVERSATION };
    await bot.send({
      ...group,
      text: '<at>Presence Watch</at> /watch <at>Megan Bowen</at> <at>Adele Vance</at>',
      entities: [
        botMention(),
        mention('user-id-1', 'Megan Bowen'),
        mention('user-id-2', 'Adele Vance'),
      ],
    });
    const one = await bot.send({
      ...group,
      text: '<at>Presence Watch</at> /unwatch <at>Megan Bowen</at>',
      entities: [botMention(), mention('user-id-1', 'Megan Bowen')],
    });
    assert.equal(one[0]?.text, 'Stopped watching Megan Bowen.');
    assert.deepEqual(
      (await watchesIn(GROUP_ID)).map((w) => w.targetId),
      [lower(ADELE_ID)],
    );
    const all = await bot.send({
      ...group,
      text: '<at>Presence Watch</at> /unwatch all',
      entities: [botMention()],
    });
    assert.equal(all[0]?.text, 'Stopped watching 1 person here.');
    assert.deepEqual(await watchesIn(GROUP_ID), []);
    assert.deepEqual(bot.keeperWakes, [TENANT_ID, TENANT_ID, TENANT_ID]);
  });

  it('lists watches with presence and unwatches in place from the card', async () => {
    await bot.signIn();
    bot.sim.setPresence(MEGAN_ID, { availability: 'Away', activity: 'Away' });
    await bot.send({ text: '/watch Megan Bowen once' });
    const listed = await bot.send({ text: '/watching' });
    const card = allText(cardOf(listed[0]));
    assert.match(card, /Megan Bowen/);
    assert.match(card, /added by you · once/);
    assert.match(card, /"verb":"unwatch"/);
    const replies = await bot.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: {
          type: 'Action.Execute',
          verb: 'unwatch',
          data: { targetId: lower(MEGAN_ID), name: 'Megan Bowen' },
        },
      },
    });
    const response = replies[0]?.value as { status: number; body: { value: unknown } };
    assert.equal(response.status, 200);
    const updated = allText(response.body.value);
    assert.match(updated, /Stopped/);
    assert.doesNotMatch(updated, /"verb":"unwatch"/);
    assert.deepEqual(await watchesIn(PERSONAL_ID), []);
  });

  const throttlePresenceReads = async (): Promise<void> => {
    const throttle = await fetch(`${bot.sim.url}/_sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        route: 'POST /v1.0/communications/getPresencesByUserId',
        throttleShare: 1,
        retryAfterSeconds: 30,
      }),
    });
    assert.equal(throttle.status, 200);
  };

  it('confirms a watch while Graph throttles presence reads, instead of "try again"', async () => {
    await bot.signIn();
    await throttlePresenceReads();
    const replies = await bot.send({ text: '/watch Megan Bowen' });
    assert.match(allText(cardOf(replies[0])), /Watching Megan Bowen/);
    assert.equal((await watchesIn(PERSONAL_ID)).length, 1);
  });

  it('unwatches from the card while Graph throttles, showing last-known presence instead of an error', async () => {
    await bot.signIn();
    await bot.send({ text: '/watch Megan Bowen' });
    await bot.send({ text: '/watch Adele Vance' });
    await throttlePresenceReads();
    const replies = await bot.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: { type: 'Action.Execute', verb: 'unwatch', data: { targetId: lower(MEGAN_ID) } },
      },
    });
    const response = replies[0]?.value as { status: number; body: { value: unknown } };
    const updated = allText(response.body.value);
    assert.match(updated, /Megan Bowen/);
    assert.match(updated, /Stopped/);
    assert.match(updated, /Adele Vance/);
    assert.deepEqual(
      (await watchesIn(PERSONAL_ID)).map((w) => w.targetId),
      [lower(ADELE_ID)],
    );
  });

  it('never shows a raw object id on the card redrawn for someone who is not signed in', async () => {
    await bot.signIn();
    await bot.send({ text: '/watch Megan Bowen' });
    await bot.send({ text: '/watch Adele Vance' });
    await bot.send({ text: '/signout' });
    const replies = await bot.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: { type: 'Action.Execute', verb: 'unwatch', data: { targetId: lower(MEGAN_ID) } },
      },
    });
    const updated = allText((replies[0]?.value as { body: { value: unknown } }).body.value);
    assert.match(updated, /This person/);
    assert.doesNotMatch(updated, new RegExp(`"text":"${lower(ADELE_ID)}"`, 'i'));
  });

  it('signs out through the token service and remembers users for the keeper', async () => {
    await bot.signIn();
    await bot.send({ text: '/help' });
    assert.ok((await bot.tokens.getToken(TENANT_ID, ALEX_ID)).length > 0);
    const replies = await bot.send({ text: '/signout' });
    assert.match(String(replies[0]?.text), /signed out/);
    await assert.rejects(bot.tokens.getToken(TENANT_ID, ALEX_ID), (error) =>
      isAppError(error, 'TOKEN_UNAVAILABLE'),
    );
    await assert.rejects(bot.tokens.getToken(TENANT_ID, MEGAN_ID), (error) =>
      isAppError(error, 'TOKEN_UNAVAILABLE'),
    );
    assert.ok(await bot.remembered(PERSONAL_ID));
  });
});

function tokenOfAlex(bot: BotHarness): Promise<string> {
  return tokenFor(bot.sim, ALEX_ID);
}
