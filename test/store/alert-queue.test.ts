import assert from 'node:assert/strict';
import { enqueueAlert, claimDueAlerts, rescheduleAlerts } from '../../src/store/alert-queue';
import type { AlertPayload } from '../../src/store/conversation-alerts';
import {
  deleteConversationReference,
  getConversationReference,
  upsertConversationReference,
} from '../../src/store/conversation-references';
import type { StoreExecutor } from '../../src/store/database-schema';
import { forEachEngine } from '../helpers/for-each-engine';

const payload = (changeId: number): AlertPayload => ({
  changeId,
  targetId: 'alex',
  targetName: 'Alex',
  kind: 'availability',
  from: { availability: 'Away', activity: 'Away' },
  to: { availability: 'Available', activity: 'Available' },
  observedAt: 0,
});

const enqueue = (db: StoreExecutor, conversationId: string, changeId: number, due = 0) =>
  enqueueAlert(
    db,
    { conversationId, tenantId: 't', payload: payload(changeId), nextAttemptAt: due },
    0,
  );

const claim = (db: StoreExecutor, owner: string, now = 0) =>
  claimDueAlerts(db, { owner, limit: 10, leaseMs: 1_000, now });

forEachEngine('alert outbox', (fixture) => {
  it('queues one alert per change and conversation', async () => {
    assert.equal(await enqueue(fixture.store.db, 'c1', 1), true);
    assert.equal(await enqueue(fixture.store.db, 'c1', 1), false);
    assert.equal(await enqueue(fixture.store.db, 'c2', 1), true);
  });

  it('claims a conversation whole and only when its oldest pending alert is due and free', async () => {
    const db = fixture.store.db;
    await enqueue(db, 'c1', 1);
    await enqueue(db, 'c1', 2);
    await enqueue(db, 'c2', 3);
    const first = await claim(db, 'a');
    assert.deepEqual(
      first.map((a) => a.changeId),
      [1, 2, 3],
    );
    assert.deepEqual(await claim(db, 'b'), [], 'leased conversations are not claimed again');
    await rescheduleAlerts(
      db,
      { owner: 'a', now: 0 },
      {
        conversationId: 'c1',
        ids: [first[0]!.id],
        retryAt: 5_000,
        attempted: true,
        error: 'x',
      },
    );
    await enqueue(db, 'c1', 4, 0);
    const later = await claim(db, 'b', 2_000);
    assert.deepEqual(
      later.map((a) => a.changeId),
      [3],
      'c1 waits behind its rescheduled head',
    );
    const due = await claim(db, 'b', 5_000);
    assert.deepEqual(
      due.map((a) => a.changeId),
      [1, 2, 3, 4],
      'c2 is back too: its lease lapsed',
    );
  });

  it('splits conversations between claimers without overlap (concurrently on PostgreSQL)', async () => {
    const db = fixture.store.db;
    for (let i = 0; i < 40; i += 1) await enqueue(db, `c${i % 10}`, i);
    const other = (await fixture.open()).db;
    const [a, b] =
      fixture.engine === 'postgres'
        ? await Promise.all([claim(db, 'a'), claim(other, 'b')])
        : [await claim(db, 'a'), await claim(other, 'b')];
    const ids = [...a, ...b].map((alert) => alert.id);
    assert.equal(new Set(ids).size, ids.length);
    const conversationsA = new Set(a.map((x) => x.conversationId));
    assert.ok(b.every((x) => !conversationsA.has(x.conversationId)));
  });

  it('stores, refreshes and deletes conversation references', async () => {
    const db = fixture.store.db;
    const input = {
      conversationId: 'c1',
      tenantId: 't',
      serviceUrl: 'https://smba.example/',
      conversationType: 'channel' as const,
      name: 'General',
      reference: {
        serviceUrl: 'https://smba.example/',
        conversation: { id: 'c1', isGroup: true, conversationType: 'channel', name: 'General' },
      },
    };
    await upsertConversationReference(db, input, 1);
    await upsertConversationReference(db, { ...input, serviceUrl: 'https://smba2.example/' }, 2);
    const stored = await getConversationReference(db, 'c1');
    assert.deepEqual(
      [stored?.serviceUrl, stored?.updatedAt, stored?.reference],
      ['https://smba2.example/', 2, input.reference],
    );
    assert.equal(await deleteConversationReference(db, 'c1'), true);
    assert.equal(await getConversationReference(db, 'c1'), undefined);
  });
});
