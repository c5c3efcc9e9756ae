import assert from 'node:assert/strict';
import { listConversationAlerts } from '../../src/store/conversation-alerts';
import { getConversationReference } from '../../src/store/conversation-references';
import { listWatches } from '../../src/store/watches';
import { claimPresenceChanges } from '../../src/store/presence-change-queue';
import type { StoreExecutor } from '../../src/store/database-schema';
import { TEAMS_CONVERSATION_LIMITS } from '../../src/alerts/conversation-pacer';
import { forEachEngine } from '../helpers/for-each-engine';
import { cardLines } from './card-text';
import {
  addChange,
  addConversation,
  addWatch,
  createSender,
  drain,
  fanOut,
  realSend,
  SENDER_OPTIONS,
  START,
  useConnectorEdge,
  TENANT,
} from './alert-harness';

forEachEngine('AlertSender', (fixture) => {
  const edge = useConnectorEdge();

  async function watched(conversationId: string, ...targets: string[]): Promise<void> {
    await addConversation(fixture.store.db, edge.connector, conversationId);
    for (const target of targets) await addWatch(fixture.store.db, conversationId, target);
  }

  it('sends changes queued together as one card through a real CloudAdapter, after the coalescing window', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex', 'megan');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await addChange(db, 'megan', ['Busy', 'InAMeeting'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    const sender = createSender(fixture.store, edge.clock);
    assert.equal((await sender.runOnce()).claimed, 0, 'nothing is due inside the window');
    await drain(sender, db, edge.clock);
    assert.equal(edge.connector.received.length, 1);
    const [post] = edge.connector.received;
    assert.equal(post?.conversationId, 'conv-a');
    assert.equal(post?.at, edge.clock.value);
    assert.deepEqual(cardLines(post!.activity), [
      'Name of alex is now Available',
      'Name of megan is now Available',
    ]);
    const statuses = (await listConversationAlerts(db, 'conv-a')).map((a) => a.status);
    assert.deepEqual(statuses, ['sent', 'sent']);
  });

  it('tells its observer each card it delivered, with the changes observed and the send time', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex', 'megan');
    await addChange(db, 'alex', ['Away'], ['Available'], edge.clock.value - 1_000);
    await addChange(db, 'megan', ['Busy'], ['Available'], edge.clock.value - 500);
    await fanOut(fixture.store, edge.clock);
    const heard: [number, number[], number][] = [];
    const sender = createSender(
      fixture.store,
      edge.clock,
      {},
      {
        onCardSent: (card, sentAt) =>
          heard.push([card.alertIds.length, card.changes.map((c) => c.observedAt), sentAt]),
      },
    );
    await drain(sender, db, edge.clock);
    assert.equal(edge.connector.received.length, 1);
    assert.deepEqual(heard, [[2, [START - 1_000, START - 500], edge.connector.received[0]?.at]]);
  });

  it('sends nothing for a person who flapped back within the window', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await addChange(db, 'alex', ['Available'], ['Away']);
    await fanOut(fixture.store, edge.clock);
    await drain(createSender(fixture.store, edge.clock), db, edge.clock);
    assert.equal(edge.connector.received.length, 0);
    const alerts = await listConversationAlerts(db, 'conv-a');
    assert.deepEqual(
      alerts.map((a) => [a.status, a.lastError]),
      [
        ['dropped', 'NO_NET_CHANGE'],
        ['dropped', 'NO_NET_CHANGE'],
      ],
    );
  });

  it('never exceeds the Teams per-conversation limits under a burst of 100 changes', async function () {
    this.timeout(60000);
    const db = fixture.store.db;
    await watched('conv-a', 'alex');
    const targets = Array.from({ length: 100 }, (_, i) => `person-${i}`);
    for (const target of targets) await addWatch(db, 'conv-a', target);
    for (const target of targets) await addChange(db, target, ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    await drain(createSender(fixture.store, edge.clock, { maxChangesPerCard: 1 }), db, edge.clock);
    const times = edge.connector.delivered('conv-a').map((r) => r.at);
    assert.equal(times.length, 100);
    for (const limit of TEAMS_CONVERSATION_LIMITS) {
      for (const [i, t] of times.entries()) {
        const inWindow = times.filter((other, j) => j >= i && other < t + limit.windowMs).length;
        assert.ok(inWindow <= limit.count, `${inWindow} sends in ${limit.windowMs} ms from ${t}`);
      }
    }
    const order = edge.connector.delivered('conv-a').map((r) => cardLines(r.activity)[0]);
    assert.deepEqual(
      order,
      targets.map((t) => `Name of ${t} is now Available`),
    );
  });

  it('honours Retry-After on 429 and delivers later, in order', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex', 'megan');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    edge.connector.script('conv-a', { status: 429, retryAfter: '7' });
    const sender = createSender(fixture.store, edge.clock);
    edge.clock.advanceTo(edge.clock.value + 2_000);
    assert.equal((await sender.runOnce()).claimed, 1);
    await addChange(db, 'megan', ['Away'], ['Busy']);
    await fanOut(fixture.store, edge.clock, 0);
    await drain(sender, db, edge.clock);
    const [throttled, ...rest] = edge.connector.received;
    assert.equal(throttled?.status, 429);
    assert.equal(rest.length, 1, 'the later alert waits and joins the retried card');
    assert.ok(rest[0]!.at >= throttled!.at + 7_000, 'retried no earlier than Retry-After');
    assert.ok(rest[0]!.at <= throttled!.at + 7_000 + 1_400, 'with bounded jitter');
    assert.deepEqual(cardLines(rest[0]!.activity), [
      'Name of alex is now Available',
      'Name of megan is now Busy',
    ]);
    const alerts = await listConversationAlerts(db, 'conv-a');
    assert.deepEqual(
      alerts.map((a) => a.status),
      ['sent', 'sent'],
    );
  });

  it('backs off on 502 and 412, then delivers; a 429 on one conversation does not hold up another', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex');
    await watched('conv-b', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    edge.connector.script('conv-a', { status: 502 }, { status: 412 });
    edge.connector.script('conv-b', { status: 429, retryAfter: '600' });
    await drain(createSender(fixture.store, edge.clock), db, edge.clock);
    const a = edge.connector.received.filter((r) => r.conversationId === 'conv-a');
    assert.deepEqual(
      a.map((r) => r.status),
      [502, 412, 200],
    );
    assert.ok(a[1]!.at - a[0]!.at >= 1_000 && a[2]!.at - a[1]!.at >= 2_000, 'exponential backoff');
    const b = edge.connector.received.filter((r) => r.conversationId === 'conv-b');
    assert.ok(a[2]!.at < b[1]!.at, 'conv-a was not held up by conv-b');
  });

  it('gives up after the bounded attempts with the failure code', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    edge.connector.script(
      'conv-a',
      ...Array.from({ length: 10 }, () => ({ status: 503 as const })),
    );
    await drain(createSender(fixture.store, edge.clock, { maxAttempts: 3 }), db, edge.clock);
    assert.equal(edge.connector.received.length, 3);
    const [alert] = await listConversationAlerts(db, 'conv-a');
    assert.equal(alert?.status, 'failed');
    assert.equal(alert?.lastError, 'TEAMS_UNAVAILABLE (HTTP 503)');
    assert.equal(alert?.attempts, 3);
  });

  it('charges failures to the failing card only: the card behind it is sent on its first attempt', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex', 'megan');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await addChange(db, 'megan', ['Away'], ['Busy']);
    await fanOut(fixture.store, edge.clock);
    edge.connector.script('conv-a', ...Array.from({ length: 3 }, () => ({ status: 503 as const })));
    await drain(
      createSender(fixture.store, edge.clock, { maxAttempts: 3, maxChangesPerCard: 1 }),
      db,
      edge.clock,
    );
    const alerts = await listConversationAlerts(db, 'conv-a');
    assert.deepEqual(
      alerts.map((a) => [a.status, a.attempts]),
      [
        ['failed', 3],
        ['sent', 1],
      ],
    );
    assert.deepEqual(cardLines(edge.connector.delivered('conv-a')[0]!.activity), [
      'Name of megan is now Busy',
    ]);
  });

  it('on 403 drops the alert and forgets the conversation: watches, reference, queued alerts', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex', 'megan');
    await watched('conv-b', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    edge.connector.script('conv-a', { status: 403 });
    const replans: string[] = [];
    const sender = createSender(fixture.store, edge.clock, {}, { replans });
    await drain(sender, db, edge.clock);
    assert.deepEqual(replans, [TENANT], 'the keeper is told to plan the tenant again');
    assert.deepEqual(await listWatches(db, { conversationId: 'conv-a' }), []);
    assert.equal(await getConversationReference(db, 'conv-a'), undefined);
    const [dropped] = await listConversationAlerts(db, 'conv-a');
    assert.equal(dropped?.status, 'dropped');
    assert.equal(dropped?.lastError, 'TEAMS_CONVERSATION_GONE (HTTP 403)');
    assert.equal(
      edge.connector.delivered('conv-b').length,
      1,
      'other conversations are unaffected',
    );
    await addChange(db, 'megan', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    await drain(sender, db, edge.clock);
    assert.equal(edge.connector.received.filter((r) => r.conversationId === 'conv-a').length, 1);
  });

  it('after a crash between claim and send, sends once when the lease lapses', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    edge.clock.advanceTo(edge.clock.value + 2_000);
    const crashed = createSender(
      fixture.store,
      edge.clock,
      { owner: 'crashed' },
      { send: () => new Promise(() => undefined) },
    );
    void crashed.runOnce();
    await waitUntil(
      async () =>
        (await listConversationAlerts(db, 'conv-a'))[0]?.attempts === 0 &&
        (await leaseOwner(fixture.store.db)) === 'crashed',
    );
    const restarted = createSender(await fixture.open(), edge.clock, {
      owner: 'restarted',
    });
    assert.equal((await restarted.runOnce()).claimed, 0, 'the lease holds while it lasts');
    edge.clock.advanceTo(edge.clock.value + 60_000);
    await drain(restarted, db, edge.clock);
    assert.equal(edge.connector.delivered().length, 1);
    assert.equal((await listConversationAlerts(db, 'conv-a'))[0]?.status, 'sent');
  });

  it('is at least once: a crash after the connector accepted a card and before the commit resends it', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    edge.clock.advanceTo(edge.clock.value + 2_000);
    const send = realSend(edge.clock);
    let crashes = 1;
    const crashing = createSender(
      fixture.store,
      edge.clock,
      {},
      {
        send: async (reference, activity) => {
          await send(reference, activity);
          if (crashes-- > 0) throw new Error('process died before commit');
        },
      },
    );
    await drain(crashing, db, edge.clock);
    assert.equal(
      edge.connector.delivered().length,
      2,
      'the one window where a duplicate is allowed',
    );
    assert.equal((await listConversationAlerts(db, 'conv-a'))[0]?.status, 'sent');
  });

  it('after a crash between claiming presence changes and queuing alerts, queues each alert once', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex');
    await watched('conv-b', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await claimPresenceChanges(fixture.store, {
      owner: 'crashed',
      limit: 10,
      leaseMs: 30_000,
      now: edge.clock.value,
    });
    assert.equal(
      (await fanOut(fixture.store, edge.clock)).changes,
      0,
      'the crashed claimer still holds the lease',
    );
    edge.clock.advanceTo(edge.clock.value + 30_000);
    assert.equal((await fanOut(fixture.store, edge.clock)).alerts, 2);
    assert.equal((await fanOut(fixture.store, edge.clock)).changes, 0);
    await drain(createSender(fixture.store, edge.clock), db, edge.clock);
    assert.deepEqual(
      edge.connector
        .delivered()
        .map((r) => r.conversationId)
        .sort(),
      ['conv-a', 'conv-b'],
    );
  });

  it('is woken by queued alerts due before its planned pass, not by later ones', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex');
    let passes = 0;
    const sender = createSender(
      fixture.store,
      edge.clock,
      {},
      { onPass: () => void (passes += 1) },
    );
    sender.start();
    await waitUntil(async () => passes === 1);
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock, 0);
    sender.alertsQueued(edge.clock.value + SENDER_OPTIONS.pollIntervalMs + 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(passes, 1, 'a pass is planned before that alert is due');
    assert.equal(edge.connector.delivered().length, 0);
    sender.alertsQueued(edge.clock.value);
    await edge.connector.waitForDelivered(1);
    await sender.stop();
  });

  /** A send that holds conversation `held`'s posts until `release()`; `holding` resolves once one waits. */
  function holdingSend(held: string) {
    const send = realSend(edge.clock);
    let release!: () => void;
    let holding!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const waiting = new Promise<void>((resolve) => (holding = resolve));
    return {
      release,
      holding: waiting,
      send: async (...args: Parameters<typeof send>) => {
        if (args[0].conversation?.id === held) {
          holding();
          await released;
        }
        await send(...args);
      },
    };
  }

  /** A running sender holding Alex's card to conv-a in flight while Megan's change is queued and announced. */
  async function holdAlexThenQueueMegan() {
    const db = fixture.store.db;
    const slow = holdingSend('conv-a');
    const sender = createSender(fixture.store, edge.clock, {}, { send: slow.send });
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock, 0);
    sender.start();
    await slow.holding;
    await addChange(db, 'megan', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock, 0);
    sender.alertsQueued(edge.clock.value);
    return { sender, slow };
  }

  it('keeps delivering other conversations while a send to one is slow', async () => {
    await watched('conv-a', 'alex');
    await watched('conv-b', 'megan');
    const { sender, slow } = await holdAlexThenQueueMegan();
    await within(5_000, edge.connector.waitForDelivered(1));
    assert.deepEqual(
      edge.connector.delivered().map((r) => r.conversationId),
      ['conv-b'],
    );
    slow.release();
    await within(5_000, edge.connector.waitForDelivered(2));
    await sender.stop();
  });

  it('claims a conversation’s alerts queued during its slow send as soon as that send ends', async () => {
    await watched('conv-a', 'alex', 'megan');
    const { sender, slow } = await holdAlexThenQueueMegan();
    slow.release();
    await within(5_000, edge.connector.waitForDelivered(2));
    assert.deepEqual(
      edge.connector.delivered().map((r) => cardLines(r.activity)),
      [['Name of alex is now Available'], ['Name of megan is now Available']],
    );
    await sender.stop();
  });

  it('runs as a loop on real timers and stops cleanly', async () => {
    const db = fixture.store.db;
    await watched('conv-a', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock, 0);
    const realTimers = {
      setTimeout: (callback: () => void, ms: number) => setTimeout(callback, Math.min(ms, 50)),
      clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
    };
    const sender = createSender(fixture.store, edge.clock, {}, { timers: realTimers });
    sender.start();
    await edge.connector.waitForDelivered(1);
    await sender.stop();
    assert.equal((await listConversationAlerts(db, 'conv-a'))[0]?.status, 'sent');
  });
});

async function leaseOwner(db: StoreExecutor): Promise<string | null | undefined> {
  const row = await db.selectFrom('alert_outbox').select('lease_owner').executeTakeFirst();
  return row?.lease_owner;
}

async function within(ms: number, promise: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setImmediate(resolve));
}
