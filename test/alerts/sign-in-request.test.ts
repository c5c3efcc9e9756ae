import assert from 'node:assert/strict';
import { askConversationsToSignIn } from '../../src/alerts/sign-in-request';
import { silentLogger } from '../../src/logging/logger';
import { getConversationReference } from '../../src/store/conversation-references';
import type { Watch } from '../../src/store/watches';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import {
  addConversation,
  addWatch,
  realSend,
  recordingWatches,
  TENANT,
  useConnectorEdge,
} from './alert-harness';

const CHANNEL = '19:general@thread.tacv2';
const THREAD = `${CHANNEL};messageid=7`;

const WATCHER = { id: '29:watcher-1', name: 'Watcher One', aadObjectId: 'watcher-1' };

forEachEngine('asking conversations to sign in again', (fixture) => {
  const edge = useConnectorEdge();

  let replans: string[] = [];
  beforeEach(() => {
    replans = [];
  });

  const ask = async (conversationIds: string[], removed: Watch[] = []) => {
    const watches = await askConversationsToSignIn(
      {
        db: fixture.store.db,
        log: silentLogger(),
        send: realSend(edge.clock),
        now: edge.clock.now,
        watches: recordingWatches(fixture.store, edge.clock.now, replans),
      },
      { tenantId: TENANT, userId: 'watcher-1', conversationIds, errorCode: 'TOKEN_UNAVAILABLE' },
    );
    removed.push(...watches);
  };

  const textsIn = (conversationId: string): string[] =>
    edge.connector.delivered(conversationId).map((r) => String(r.activity.text));

  it('asks every conversation and cleans up one Teams no longer has', async () => {
    const db = fixture.store.db;
    for (const id of ['conv-a', 'conv-gone']) {
      await addConversation(db, edge.connector, id);
      await addWatch(db, id, 'megan');
    }
    edge.connector.script('conv-gone', { status: 404 });
    const removed: Watch[] = [];

    await ask(['conv-a', 'conv-gone'], removed);

    assert.match(String(textsIn('conv-a')[0]), /sign in again/);
    assert.deepEqual(
      removed.map((watch) => watch.conversationId),
      ['conv-gone'],
    );
    assert.deepEqual(await listWatches(db, { conversationId: 'conv-gone' }), []);
    assert.equal(await getConversationReference(db, 'conv-gone'), undefined);
    assert.deepEqual(replans, [TENANT], 'the keeper is told to plan the tenant again');
  });

  it('speaks to the one watcher of a personal chat about their own sign-in', async () => {
    const db = fixture.store.db;
    await addConversation(db, edge.connector, 'a:personal');
    await addWatch(db, 'a:personal', 'megan');

    await ask(['a:personal']);

    const [text] = textsIn('a:personal');
    assert.match(String(text), /your sign-in/);
    assert.doesNotMatch(String(text), /someone who watches|Whoever added them/);
  });

  it('asks in the channel itself when the channel thread it watched in is gone', async () => {
    const db = fixture.store.db;
    await addConversation(db, edge.connector, THREAD, {
      conversationType: 'channel',
      name: 'General',
      user: WATCHER,
    });
    await addWatch(db, THREAD, 'lynne');
    edge.connector.script(THREAD, { status: 404 });

    await ask([THREAD]);

    const texts = textsIn(CHANNEL);
    assert.ok(
      texts.some((text) => /sign in again/.test(text)),
      `the channel was not asked to sign in again: ${JSON.stringify(texts)}`,
    );
    assert.equal((await listWatches(db, { conversationId: CHANNEL })).length, 1);
  });
});
