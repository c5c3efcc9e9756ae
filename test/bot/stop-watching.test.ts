import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { enqueueAlert } from '../../src/store/alert-queue';
import type { AlertPayload } from '../../src/store/conversation-alerts';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { cardLines } from '../alerts/card-text';
import { PERSONAL_ID, TENANT_ID, type BotHarness, useBotHarness } from './bot-harness';
import { seedWatch } from './conversation-seeds';

const lower = (id: string): string => id.toLowerCase();

function payload(changeId: number, targetId: string, targetName: string): AlertPayload {
  return {
    changeId,
    targetId: lower(targetId),
    targetName,
    kind: 'availability',
    from: { availability: 'Busy', activity: 'InACall' },
    to: { availability: 'Available', activity: 'Available' },
    observedAt: Date.UTC(2026, 11, 4, 9, 30),
  };
}

async function queueAlert(db: Parameters<typeof seedWatch>[0], p: AlertPayload): Promise<number> {
  await enqueueAlert(
    db,
    { conversationId: PERSONAL_ID, tenantId: TENANT_ID, payload: p, nextAttemptAt: 0 },
    0,
  );
  const row = await db
    .selectFrom('alert_outbox')
    .select('id')
    .where('change_id', '=', p.changeId)
    .executeTakeFirstOrThrow();
  return row.id;
}

function actionInvoke(verb: string, data: Record<string, unknown>): Partial<Activity> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data } },
  };
}

interface InvokeBody {
  type: string;
  value: unknown;
}

function bodyOf(replies: Partial<Activity>[]): InvokeBody {
  return (replies[0]?.value as { body: InvokeBody }).body;
}

function executeActions(card: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'Action.Execute') found.push(element);
    Object.values(element).forEach(visit);
  };
  visit(card);
  return found;
}

forEachEngine('Stop watching on an alert card', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started), { signedIn: true });

  const db = () => fixture.store.db;
  const cardOfReply = (replies: Partial<Activity>[]) => ({
    attachments: [{ content: bodyOf(replies).value }],
  });

  it('keeps a coalesced alert readable and marks the stopped person by name', async () => {
    await seedWatch(db(), PERSONAL_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db(), PERSONAL_ID, ALEX_ID, ADELE_ID);
    const first = await queueAlert(db(), payload(1, MEGAN_ID, 'Megan Bowen'));
    const second = await queueAlert(db(), payload(2, ADELE_ID, 'Adele Vance'));
    const replies = await bot.send(
      actionInvoke('stopWatching', { targetId: lower(MEGAN_ID), alertIds: `${first},${second}` }),
    );
    const body = bodyOf(replies);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.deepEqual(cardLines(cardOfReply(replies)), [
      'Megan Bowen is now Available',
      'Megan Bowen is no longer watched here.',
      'Adele Vance is now Available',
    ]);
    assert.deepEqual(
      executeActions(body.value).map((action) => (action.data as { targetId: string }).targetId),
      [lower(ADELE_ID)],
    );
    assert.match(JSON.stringify(body.value), /2 presence changes/);
    const left = await listWatches(db(), { conversationId: PERSONAL_ID });
    assert.deepEqual(
      left.map((w) => w.targetId),
      [lower(ADELE_ID)],
    );
    assert.deepEqual(bot.keeperWakes, [TENANT_ID]);
  });

  it('says a watch that already ended (once) is no longer watched here', async () => {
    const id = await queueAlert(db(), payload(3, MEGAN_ID, 'Megan Bowen'));
    const replies = await bot.send(
      actionInvoke('stopWatching', { targetId: lower(MEGAN_ID), alertIds: String(id) }),
    );
    assert.deepEqual(cardLines(cardOfReply(replies)), [
      'Megan Bowen is now Available',
      'Megan Bowen is no longer watched here.',
    ]);
    assert.deepEqual(executeActions(bodyOf(replies).value), []);
  });

  it('names the person from the directory when the alert is no longer stored', async () => {
    await seedWatch(db(), PERSONAL_ID, ALEX_ID, MEGAN_ID);
    const replies = await bot.send(
      actionInvoke('stopWatching', { targetId: lower(MEGAN_ID), alertIds: '999,abc' }),
    );
    assert.deepEqual(cardLines(cardOfReply(replies)), ['Megan Bowen is no longer watched here.']);
    assert.doesNotMatch(JSON.stringify(bodyOf(replies).value), /0000000000021/);
    assert.deepEqual(await listWatches(db(), { conversationId: PERSONAL_ID }), []);
  });

  it('refuses the buttons to someone the channel does not identify', async () => {
    await seedWatch(db(), PERSONAL_ID, ALEX_ID, MEGAN_ID);
    const anonymous = { from: { id: 'user-id-9', name: 'Anonymous' } };
    for (const verb of ['stopWatching', 'unwatch']) {
      const replies = await bot.send({
        ...actionInvoke(verb, { targetId: lower(MEGAN_ID), alertIds: '' }),
        ...anonymous,
      });
      assert.match(String(bodyOf(replies).value), /can’t tell who you are/);
    }
    assert.equal((await listWatches(db(), { conversationId: PERSONAL_ID })).length, 1);
  });

  it('looks the stopped name up instead of echoing the Unwatch button’s name', async () => {
    await seedWatch(db(), PERSONAL_ID, ALEX_ID, MEGAN_ID);
    const replies = await bot.send(
      actionInvoke('unwatch', {
        targetId: lower(MEGAN_ID),
        name: '[Verify your account](https://evil.example/login)',
      }),
    );
    const text = JSON.stringify(bodyOf(replies).value);
    assert.doesNotMatch(text, /evil\.example/);
    assert.match(text, /Megan Bowen/);
  });
});
