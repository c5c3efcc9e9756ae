import assert from 'node:assert/strict';
import {
  claimPresenceChanges,
  markPresenceChangesConsumed,
  insertPresenceChange,
} from '../../src/store/presence-change-queue';
import { forEachEngine } from '../helpers/for-each-engine';

const NOW = 1_700_000_000_000;
const BUSY = { availability: 'Busy', activity: 'Busy' };
const AWAY = { availability: 'Away', activity: 'Away' };

forEachEngine('presence change claims', (fixture) => {
  const change = (userId: string, from: typeof BUSY, to: typeof BUSY) =>
    insertPresenceChange(fixture.store.db, {
      tenantId: 't1',
      userId,
      from,
      to,
      observedAt: NOW,
      source: 'notification',
      createdAt: NOW,
    });
  const claim = (owner: string, limit = 10) =>
    claimPresenceChanges(fixture.store, { owner, limit, leaseMs: 60_000, now: NOW });

  it("keeps one person's changes in order across claimers: a later one waits for the earlier", async () => {
    const first = await change('alex', BUSY, AWAY);
    const second = await change('alex', AWAY, BUSY);
    const other = await change('megan', BUSY, AWAY);

    assert.deepEqual(
      (await claim('instance-a', 1)).map((c) => c.id),
      [first.id],
    );
    assert.deepEqual(
      (await claim('instance-b')).map((c) => c.id),
      [other.id],
    );
    await markPresenceChangesConsumed(fixture.store.db, { owner: 'instance-a', now: NOW }, [
      first.id,
    ]);
    assert.deepEqual(
      (await claim('instance-b')).map((c) => c.id),
      [second.id],
    );
  });

  it('claims a person’s consecutive changes together, in order', async () => {
    const ids = [(await change('alex', BUSY, AWAY)).id, (await change('alex', AWAY, BUSY)).id];
    assert.deepEqual(
      (await claim('instance-a')).map((c) => c.id),
      ids,
    );
    assert.deepEqual(await claim('instance-b'), []);
  });
});
