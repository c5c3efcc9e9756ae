import assert from 'node:assert/strict';
import { listConversationAlerts } from '../../src/store/conversation-alerts';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { addChange, addWatch, fanOut, START, TestClock } from './alert-harness';

forEachEngine('fanOutPresenceChanges', (fixture) => {
  const kinds = async (conversationId: string) =>
    (await listConversationAlerts(fixture.store.db, conversationId)).map((a) => [
      a.payload.targetId,
      a.payload.kind,
      a.payload.to.availability,
      a.payload.to.activity,
    ]);

  it('alerts each watching conversation on availability changes, not on activity-only ones by default', async () => {
    const db = fixture.store.db;
    await addWatch(db, 'conv-a', 'alex');
    await addWatch(db, 'conv-b', 'alex');
    await addWatch(db, 'conv-c', 'megan');
    await addChange(db, 'alex', ['Busy', 'InAMeeting'], ['Busy', 'InACall']);
    await addChange(db, 'alex', ['Busy', 'InACall'], ['Available', 'Available']);
    const result = await fanOut(fixture.store, new TestClock());
    assert.deepEqual([result.changes, result.alerts], [2, 2]);
    assert.deepEqual(await kinds('conv-a'), [['alex', 'availability', 'Available', 'Available']]);
    assert.deepEqual(await kinds('conv-b'), [['alex', 'availability', 'Available', 'Available']]);
    assert.deepEqual(await kinds('conv-c'), []);
    const [alert] = await listConversationAlerts(db, 'conv-a');
    assert.equal(alert?.payload.targetName, 'Name of alex');
    assert.deepEqual(alert?.payload.from, { availability: 'Busy', activity: 'InACall' });
  });

  it('with activity, also alerts activity-only changes', async () => {
    const db = fixture.store.db;
    await addWatch(db, 'conv-a', 'alex', { includeActivity: true });
    await addChange(db, 'alex', ['Busy', 'InAMeeting'], ['Busy', 'Presenting']);
    await fanOut(fixture.store, new TestClock());
    assert.deepEqual(await kinds('conv-a'), [['alex', 'activity', 'Busy', 'Presenting']]);
  });

  it('when available, alerts only transitions into Available (any case)', async () => {
    const db = fixture.store.db;
    await addWatch(db, 'conv-a', 'alex', { onlyWhenAvailable: true, includeActivity: true });
    await addChange(db, 'alex', ['Available'], ['Busy']);
    await addChange(db, 'alex', ['Busy'], ['Away']);
    await addChange(db, 'alex', ['Away'], ['available']);
    await addChange(db, 'alex', ['available', 'Available'], ['Available', 'Presenting']);
    await fanOut(fixture.store, new TestClock());
    assert.deepEqual(await kinds('conv-a'), [['alex', 'availability', 'available', 'available']]);
  });

  it('never alerts a first sighting', async () => {
    const db = fixture.store.db;
    await addWatch(db, 'conv-a', 'alex', { includeActivity: true });
    await addChange(db, 'alex', null, ['Available']);
    const result = await fanOut(fixture.store, new TestClock());
    assert.deepEqual([result.changes, result.alerts], [1, 0]);
  });

  it('once: alerts once, then removes the watch', async () => {
    const db = fixture.store.db;
    await addWatch(db, 'conv-a', 'alex', { once: true });
    await addWatch(db, 'conv-a', 'megan');
    await addChange(db, 'alex', ['Away'], ['Busy']);
    await addChange(db, 'alex', ['Busy'], ['Available']);
    const result = await fanOut(fixture.store, new TestClock());
    assert.equal(result.alerts, 1);
    assert.deepEqual(
      result.removedWatches.map((w) => w.targetId),
      ['alex'],
    );
    assert.deepEqual(await kinds('conv-a'), [['alex', 'availability', 'Busy', 'Busy']]);
    assert.deepEqual(
      (await listWatches(db, { conversationId: 'conv-a' })).map((w) => w.targetId),
      ['megan'],
    );
  });

  it('ignores changes of another tenant', async () => {
    const db = fixture.store.db;
    await addWatch(db, 'conv-a', 'alex');
    await db
      .insertInto('presence_changes')
      .values({
        tenant_id: 'other-tenant',
        user_id: 'alex',
        from_availability: 'Away',
        from_activity: 'Away',
        to_availability: 'Available',
        to_activity: 'Available',
        observed_at: START,
        source: 'notification',
        created_at: START,
      })
      .execute();
    assert.equal((await fanOut(fixture.store, new TestClock())).alerts, 0);
  });

  it('is idempotent: a change processed again after a crash adds no duplicate alert', async () => {
    const db = fixture.store.db;
    await addWatch(db, 'conv-a', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, new TestClock());
    await db.updateTable('presence_changes').set({ consumed_at: null }).execute();
    const again = await fanOut(fixture.store, new TestClock());
    assert.deepEqual([again.changes, again.alerts], [1, 0]);
    assert.equal((await listConversationAlerts(db, 'conv-a')).length, 1);
  });

  it('lets alerts queued within the window of a pending one fall due together', async () => {
    const db = fixture.store.db;
    const clock = new TestClock();
    await addWatch(db, 'conv-a', 'alex');
    await addWatch(db, 'conv-a', 'megan');
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, clock, 2_000);
    clock.advanceTo(START + 1_500);
    await addChange(db, 'megan', ['Away'], ['Available']);
    await fanOut(fixture.store, clock, 2_000);
    clock.advanceTo(START + 2_500);
    await addChange(db, 'alex', ['Available'], ['Busy']);
    await fanOut(fixture.store, clock, 2_000);
    const due = (await listConversationAlerts(db, 'conv-a')).map((a) => a.nextAttemptAt);
    assert.deepEqual(due, [START + 2_000, START + 2_000, START + 4_500]);
  });

  it('names the person as stored with the watch when the name lookup fails, never by their id', async () => {
    const db = fixture.store.db;
    await addWatch(db, 'conv-a', 'alex', { targetName: 'Alex Wilber' });
    await addWatch(db, 'conv-b', 'alex');
    await addChange(db, 'alex', ['Away'], ['Available']);
    const failing = () => Promise.reject(new Error('no token for anyone watching alex'));
    await fanOut(fixture.store, new TestClock(), 2_000, failing);
    const [named] = await listConversationAlerts(db, 'conv-a');
    const [unnamed] = await listConversationAlerts(db, 'conv-b');
    assert.equal(named?.payload.targetName, 'Alex Wilber');
    assert.equal(unnamed?.payload.targetName, 'This person');
  });

  it('prefers a name looked up now over the stored one', async () => {
    const db = fixture.store.db;
    await addWatch(db, 'conv-a', 'alex', { targetName: 'Alex W.' });
    await addChange(db, 'alex', ['Away'], ['Available']);
    await fanOut(fixture.store, new TestClock());
    const [alert] = await listConversationAlerts(db, 'conv-a');
    assert.equal(alert?.payload.targetName, 'Name of alex');
  });
});
