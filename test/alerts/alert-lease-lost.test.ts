import assert from 'node:assert/strict';
import { fanOutPresenceChanges } from '../../src/alerts/alert-fanout';
import { createLogger } from '../../src/logging/logger';
import { listConversationAlerts } from '../../src/store/conversation-alerts';
import { claimPresenceChanges } from '../../src/store/presence-change-queue';
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
  useConnectorEdge,
} from './alert-harness';

forEachEngine('alerts after a lease was lost', (fixture) => {
  const edge = useConnectorEdge();

  beforeEach(async () => {
    const db = fixture.store.db;
    await addConversation(db, edge.connector, 'conv-a');
    await addWatch(db, 'conv-a', 'alex');
    await addWatch(db, 'conv-a', 'megan');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await addChange(db, 'megan', ['Away'], ['Available']);
  });

  it('a sender that stalled past its lease stops when another took the conversation over: no card is sent twice but the one in flight', async () => {
    const db = fixture.store.db;
    await fanOut(fixture.store, edge.clock);
    edge.clock.advanceTo(edge.clock.value + 2_000);
    const send = realSend(edge.clock);
    const successor = createSender(fixture.store, edge.clock, {
      owner: 'sender-b',
      maxChangesPerCard: 1,
    });
    let stalled = true;
    const stalling = createSender(
      fixture.store,
      edge.clock,
      { owner: 'sender-a', maxChangesPerCard: 1 },
      {
        send: async (reference, activity) => {
          if (stalled) {
            stalled = false;
            edge.clock.advanceTo(edge.clock.value + 60_000);
            await drain(successor, db, edge.clock);
          }
          await send(reference, activity);
        },
      },
    );
    await stalling.runOnce();
    const cards = edge.connector.delivered().map((post) => cardLines(post.activity).join());
    assert.deepEqual(cards.sort(), [
      'Name of alex is now Available',
      'Name of alex is now Available',
      'Name of megan is now Available',
    ]);
    const alerts = await listConversationAlerts(db, 'conv-a');
    assert.deepEqual(
      alerts.map((alert) => alert.status),
      ['sent', 'sent'],
    );
  });

  it('a fan-out that stalled past its lease leaves the changes to the instance that re-claimed them', async () => {
    const db = fixture.store.db;
    const logs: Record<string, unknown>[] = [];
    const successorClaim = { owner: 'fanout-b', limit: 10, leaseMs: 30_000 };
    const result = await fanOutPresenceChanges(fixture.store, {
      owner: 'fanout-stalled',
      batchSize: 500,
      leaseMs: 30_000,
      coalesceWindowMs: 0,
      now: edge.clock.now,
      displayNames: async (_tenant, ids) => {
        edge.clock.advanceTo(edge.clock.value + 30_000);
        const reclaimed = await claimPresenceChanges(fixture.store, {
          ...successorClaim,
          now: edge.clock.value,
        });
        assert.equal(reclaimed.length, 2, 'the successor re-claims them');
        return new Map(ids.map((id) => [id, `Name of ${id}`]));
      },
      logger: createLogger({
        level: 'warn',
        format: 'json',
        destination: { write: (line: string) => logs.push(JSON.parse(line)) },
      }),
    });
    assert.deepEqual(result, { changes: 0, alerts: 0, removedWatches: [] });
    assert.deepEqual(await listConversationAlerts(db, 'conv-a'), []);
    const leases = await db.selectFrom('presence_changes').select('lease_owner').execute();
    assert.deepEqual(
      leases.map((row) => row.lease_owner),
      ['fanout-b', 'fanout-b'],
    );
    assert.ok(logs.some((line) => String(line.msg).includes('re-claimed by another instance')));
  });
});
