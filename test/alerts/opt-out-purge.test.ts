import assert from 'node:assert/strict';
import { listConversationAlerts } from '../../src/store/conversation-alerts';
import { optOutOfWatching } from '../../src/store/privacy-opt-outs';
import { applyPresenceObservation, getPresenceStates } from '../../src/store/presence-state';
import { forEachEngine } from '../helpers/for-each-engine';
import {
  addChange,
  addConversation,
  addWatch,
  createSender,
  drain,
  fanOut,
  START,
  TENANT,
  useConnectorEdge,
} from './alert-harness';

forEachEngine('opting out purges queued alerts', (fixture) => {
  const edge = useConnectorEdge();

  beforeEach(async () => {
    await addConversation(fixture.store.db, edge.connector, 'conv-a');
    await addWatch(fixture.store.db, 'conv-a', 'megan');
    await addWatch(fixture.store.db, 'conv-a', 'adele');
  });

  const unconsumedChangesOf = async (userId: string): Promise<number> => {
    const rows = await fixture.store.db
      .selectFrom('presence_changes')
      .select('id')
      .where('user_id', '=', userId)
      .where('consumed_at', 'is', null)
      .execute();
    return rows.length;
  };

  it('deletes pending alerts and unprocessed changes about the person with their watches', async () => {
    const db = fixture.store.db;
    await addChange(db, 'megan', ['Available'], ['Busy']);
    await addChange(db, 'adele', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    await applyPresenceObservation(db, {
      tenantId: TENANT,
      userId: 'megan',
      availability: 'Away',
      activity: 'Away',
      observedAt: START + 1,
      source: 'notification',
    });

    await optOutOfWatching(db, TENANT.toUpperCase(), 'MEGAN', START + 2);

    assert.equal(await unconsumedChangesOf('megan'), 0);
    const pending = (await listConversationAlerts(db, 'conv-a')).filter(
      (alert) => alert.status === 'pending',
    );
    assert.deepEqual(
      pending.map((alert) => alert.targetId),
      ['adele'],
    );
    assert.equal((await getPresenceStates(db, TENANT, ['megan'])).size, 0);
  });

  it('drops an alert about someone who opted out after it was claimed, just before sending', async () => {
    const db = fixture.store.db;
    await addChange(db, 'megan', ['Available'], ['Busy']);
    await fanOut(fixture.store, edge.clock);
    await db
      .insertInto('privacy_opt_outs')
      .values({ tenant_id: TENANT, user_id: 'megan', opted_out_at: START })
      .execute();

    await drain(createSender(fixture.store, edge.clock), db, edge.clock);

    assert.equal(edge.connector.received.length, 0);
    const [alert] = await listConversationAlerts(db, 'conv-a');
    assert.equal(alert?.status, 'dropped');
    assert.equal(alert?.lastError, 'OPTED_OUT');
  });
});
