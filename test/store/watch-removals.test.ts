import assert from 'node:assert/strict';
import { forgetConversation } from '../../src/store/conversation-cleanup';
import type { StoreExecutor } from '../../src/store/database-schema';
import { purgeLeavingUser } from '../../src/store/user-purge';
import { listWatches, type Watch } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { pausingAfterStatement } from '../helpers/pausing-plugin';
import { storeWatch } from './watch-fixtures';

forEachEngine('watch removals', (fixture) => {
  const watch = (conversationId: string, watcherId: string, targetId: string): Promise<Watch> =>
    storeWatch(fixture.store.db, conversationId, watcherId, targetId);

  /** SQLite runs one transaction at a time on its one connection: the other write waits for it. */
  const pausing = (
    meanwhile: () => Promise<unknown>,
  ): { db: StoreExecutor; done: () => Promise<unknown> } => {
    const { plugin, done } = pausingAfterStatement(meanwhile, {
      after: 1,
      wait: fixture.engine === 'postgres',
    });
    return { db: fixture.store.db.withPlugin(plugin), done };
  };

  it('a forgotten conversation reports every watch it removed, even one added meanwhile', async () => {
    await watch('conv-1', 'alex', 'megan');
    const { db, done } = pausing(() => watch('conv-1', 'adele', 'patti'));
    const removed = await forgetConversation(db, 'conv-1');
    await done();
    const left = await listWatches(fixture.store.db, { conversationId: 'conv-1' });
    assert.equal(
      removed.length + left.length,
      2,
      'each watch is either removed and reported, or left',
    );
  });

  it('a purged user reports every watch removed, even one added meanwhile', async () => {
    await watch('conv-1', 'alex', 'megan');
    const { db, done } = pausing(() => watch('conv-2', 'alex', 'patti'));
    const leaving = { tenantId: 't1', aadObjectId: 'alex', botStateKeys: [] };
    const removed = await purgeLeavingUser(db, leaving);
    await done();
    const left = await listWatches(fixture.store.db, { watcherId: 'alex' });
    assert.equal(
      removed.length + left.length,
      2,
      'each watch is either removed and reported, or left',
    );
  });
});
