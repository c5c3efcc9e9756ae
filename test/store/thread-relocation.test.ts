import assert from 'node:assert/strict';
import {
  getConversationReference,
  upsertConversationReference,
  type StoredConversation,
} from '../../src/store/conversation-references';
import { moveThreadToChannel } from '../../src/store/thread-relocation';
import { listWatches, type Watch } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { pausingAfterStatement } from '../helpers/pausing-plugin';
import { storeWatch, WATCHED_AT as NOW } from './watch-fixtures';

const CHANNEL = '19:general@thread.tacv2';
const THREAD = `${CHANNEL};messageid=7`;

const chain: StoredConversation = {
  conversationId: THREAD,
  tenantId: 't1',
  serviceUrl: 'https://smba.example/teams/',
  reference: {
    conversation: { id: THREAD, name: 'General', isGroup: true, conversationType: 'channel' },
  },
  conversationType: 'channel',
  name: 'General',
  updatedAt: NOW,
};

forEachEngine('moving a lost thread to its channel', (fixture) => {
  const watch = (conversationId: string, watcherId: string, targetId: string): Promise<Watch> =>
    storeWatch(fixture.store.db, conversationId, watcherId, targetId);

  beforeEach(async () => {
    await upsertConversationReference(fixture.store.db, chain, NOW);
  });

  it('moves the thread’s watches, and a person the channel watches keeps the channel’s watch', async () => {
    await watch(THREAD, 'alex', 'megan');
    await watch(THREAD, 'alex', 'adele');
    await watch(CHANNEL, 'patti', 'adele');

    const { channel, moved } = await moveThreadToChannel(fixture.store.db, chain, NOW + 1);

    assert.equal(channel.conversationId, CHANNEL);
    assert.deepEqual(
      moved.map((w) => [w.watcherId, w.targetId]),
      [['alex', 'megan']],
    );
    const left = await listWatches(fixture.store.db);
    assert.deepEqual(left.map((w) => [w.conversationId, w.watcherId, w.targetId]).sort(), [
      [CHANNEL, 'alex', 'megan'],
      [CHANNEL, 'patti', 'adele'],
    ]);
    assert.equal(await getConversationReference(fixture.store.db, THREAD), undefined);
    assert.equal((await getConversationReference(fixture.store.db, CHANNEL))?.name, 'General');
  });

  for (const after of [1, 2, 3, 4, 5]) {
    it(`succeeds when the channel starts watching the same person after its statement ${after}`, async () => {
      await watch(THREAD, 'alex', 'megan');
      const { plugin, done } = pausingAfterStatement(() => watch(CHANNEL, 'patti', 'megan'), {
        after,
        wait: fixture.engine === 'postgres',
      });

      const { moved } = await moveThreadToChannel(fixture.store.db.withPlugin(plugin), chain, NOW);
      await done();

      const left = await listWatches(fixture.store.db);
      assert.deepEqual(
        left.map((w) => [w.conversationId, w.targetId]),
        [[CHANNEL, 'megan']],
        'one watch of the person, in the channel',
      );
      assert.ok(moved.length <= 1);
    });
  }
});
