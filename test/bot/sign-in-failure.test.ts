import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { capturedLogs, WARN_LEVEL as WARN, type LogLine } from '../helpers/captured-logs';
import { forEachEngine } from '../helpers/for-each-engine';
import { ALEX_ID, tokenFor } from '../helpers/tenant-simulator-harness';
import { allText, PERSONAL_ID, startBotHarness, type BotHarness } from './bot-harness';

const failure = (value: unknown): Partial<Activity> => ({
  type: 'invoke',
  name: 'signin/failure',
  value,
});

function statusesOf(replies: Partial<Activity>[]): number[] {
  return replies
    .filter((reply) => reply.type === 'invokeResponse')
    .map((reply) => (reply.value as { status: number }).status);
}

function messagesOf(replies: Partial<Activity>[]): Partial<Activity>[] {
  return replies.filter((reply) => reply.type === 'message');
}

forEachEngine('Teams SSO signin/failure', (fixture) => {
  let bot: BotHarness;
  let lines: LogLine[];

  beforeEach(async function () {
    this.timeout(20000);
    const captured = capturedLogs();
    lines = captured.lines;
    bot = await startBotHarness(fixture.store, undefined, captured.logger);
  });

  afterEach(async () => {
    await bot.close();
  });

  const warnings = (): LogLine[] =>
    lines.filter((line) => line.level === WARN && line.msg.includes('single sign-on failed'));

  it('tells the user once how to sign in without SSO, and the waiting command runs after it', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    const replies = await bot.send(failure({ code: 'tokenmissing', message: 'no token' }));
    assert.deepEqual(statusesOf(replies), [200]);
    const [told] = messagesOf(replies);
    assert.match(String(told?.text), /single sign-on didn’t work/i);
    const card = told?.attachments?.[0];
    assert.equal(card?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(allText(card), /paste the 6-digit code/);
    const again = await bot.send(failure({ code: 'tokenmissing', message: 'no token' }));
    assert.deepEqual(statusesOf(again), [200]);
    assert.deepEqual(messagesOf(again), []);
    bot.tokenClient.magicCodes.set('user-id-0', {
      code: '123456',
      token: await tokenFor(bot.sim, ALEX_ID),
    });
    const signedIn = await bot.send({ text: '123456' });
    assert.ok(messagesOf(signedIn).some((reply) => /Watching Megan Bowen/.test(allText(reply))));
  });

  it('logs a configuration failure with an admin hint and the conversation, not what Teams wrote', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    const replies = await bot.send(
      failure({ code: 'resourcematchfailed', message: 'resource mismatch' }),
    );
    assert.deepEqual(statusesOf(replies), [200]);
    assert.equal(messagesOf(replies).length, 1);
    const [warning] = warnings();
    assert.equal(warning?.failureCode, 'resourcematchfailed');
    assert.equal(warning?.conversationId, PERSONAL_ID);
    assert.match(String(warning?.hint), /Expose an API/);
    assert.ok(!JSON.stringify(lines).includes('resource mismatch'));
  });

  it('only logs the codes where Teams already shows the user a card', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    for (const code of ['installappfailed', 'authrequestfailed']) {
      const replies = await bot.send(failure({ code, message: 'shown' }));
      assert.deepEqual(statusesOf(replies), [200]);
      assert.deepEqual(messagesOf(replies), []);
    }
    assert.deepEqual(
      warnings().map((line) => line.failureCode),
      ['installappfailed', 'authrequestfailed'],
    );
  });

  it('handles an unknown code, a missing one and a malformed value like invokeerror', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    const values = [{ code: 'somethingnew' }, {}, 'not an object', null, { code: 42 }];
    const statuses: number[] = [];
    for (const value of values) statuses.push(...statusesOf(await bot.send(failure(value))));
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    assert.deepEqual(
      warnings().map((line) => line.failureCode),
      ['invokeerror', 'invokeerror', 'invokeerror', 'invokeerror', 'invokeerror'],
    );
  });

  it('says nothing in the conversation when no command is waiting for sign-in', async () => {
    const replies = await bot.send(failure({ code: 'tokenmissing' }));
    assert.deepEqual(statusesOf(replies), [200]);
    assert.deepEqual(messagesOf(replies), []);
  });
});
