import assert from 'node:assert/strict';
import { askConversationsToSignIn } from '../../src/alerts/sign-in-request';
import { silentLogger } from '../../src/logging/logger';
import { getConversationReference } from '../../src/store/conversation-references';
import type { Watch } from '../../src/store/watches';
import { listWatches } from '../../src/store/watches';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { forEachEngine } from '../helpers/for-each-engine';
import { addConversation, addWatch, realSend, TENANT, TestClock } from './alert-harness';

forEachEngine('asking conversations to sign in again', (fixture) => {
  let clock: TestClock;
  let connector: FakeBotConnector;

  beforeEach(async function () {
    this.timeout(20000);
    clock = new TestClock();
    connector = new FakeBotConnector(clock.now);
    await connector.start();
  });

  afterEach(async () => {
    await connector.stop();
  });

  it('asks every conversation and cleans up one Teams no longer has', async () => {
    const db = fixture.store.db;
    for (const id of ['conv-a', 'conv-gone']) {
      await addConversation(db, connector, id);
      await addWatch(db, id, 'megan');
    }
    connector.script('conv-gone', { status: 404 });
    const removed: Watch[] = [];

    await askConversationsToSignIn(
      {
        db,
        log: silentLogger(),
        send: realSend(clock),
        now: clock.now,
        onWatchesRemoved: (watches) => removed.push(...watches),
      },
      {
        tenantId: TENANT,
        userId: 'watcher-1',
        conversationIds: ['conv-a', 'conv-gone'],
        errorCode: 'TOKEN_UNAVAILABLE',
      },
    );

    assert.match(String(connector.delivered('conv-a')[0]?.activity.text), /sign in again/);
    assert.deepEqual(
      removed.map((watch) => watch.conversationId),
      ['conv-gone'],
    );
    assert.deepEqual(await listWatches(db, { conversationId: 'conv-gone' }), []);
    assert.equal(await getConversationReference(db, 'conv-gone'), undefined);
  });
});
