import assert from 'node:assert/strict';
import type { ConversationType, StoreExecutor } from '../../src/store/database-schema';
import { getConversationReference } from '../../src/store/conversation-references';
import { listWatches } from '../../src/store/watches';
import type { FakeBotConnector } from '../helpers/fake-bot-connector';
import { forEachEngine } from '../helpers/for-each-engine';
import { cardLines } from './card-text';
import {
  addChange,
  addConversation,
  addWatch,
  createSender,
  drain,
  fanOut,
  START,
  startAlerts,
  TENANT,
  useConnectorEdge,
} from './alert-harness';
import { eventually } from '../helpers/sim-webhook';

const PERSONAL = 'a:personal-watcher-1';
const GROUP = '19:group@thread.v2';
const CHANNEL = '19:general@thread.tacv2';
const THREAD = `${CHANNEL};messageid=7`;

const WATCHER = { id: '29:watcher-1', name: 'Watcher One', aadObjectId: 'WATCHER-1' };

function conversation(
  db: StoreExecutor,
  connector: FakeBotConnector,
  conversationId: string,
  conversationType: ConversationType,
  name: string | null,
): Promise<void> {
  return addConversation(db, connector, conversationId, { conversationType, name, user: WATCHER });
}

forEachEngine('alerts into a conversation Teams no longer has', (fixture) => {
  const edge = useConnectorEdge();

  beforeEach(async () => {
    const db = fixture.store.db;
    await conversation(db, edge.connector, PERSONAL, 'personal', null);
    await conversation(db, edge.connector, GROUP, 'groupChat', 'Project');
    await conversation(db, edge.connector, THREAD, 'channel', 'General');
  });

  const textsIn = (conversationId: string): string[] =>
    edge.connector
      .delivered(conversationId)
      .map((r) => String(r.activity.text ?? cardLines(r.activity).join('\n')));

  it('forgets a lost group chat and tells each watcher plainly in their personal chat', async () => {
    const db = fixture.store.db;
    await addWatch(db, GROUP, 'megan');
    await addWatch(db, GROUP, 'adele');
    await addChange(db, 'megan', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    edge.connector.script(GROUP, { status: 404 });

    await drain(createSender(fixture.store, edge.clock), db, edge.clock);

    assert.deepEqual(await listWatches(db, { conversationId: GROUP }), []);
    assert.equal(await getConversationReference(db, GROUP), undefined);
    const [notice] = textsIn(PERSONAL);
    assert.match(String(notice), /can no longer post into the group chat “Project”/);
    assert.match(String(notice), /The 2 watches you added there have ended/);
  });

  it('moves the watches of a lost channel thread to the channel itself and keeps alerting there', async () => {
    const db = fixture.store.db;
    await addWatch(db, THREAD, 'megan');
    await addChange(db, 'megan', ['Away'], ['Available']);
    await fanOut(fixture.store, edge.clock);
    edge.connector.script(THREAD, { status: 404 });

    await drain(createSender(fixture.store, edge.clock), db, edge.clock);

    assert.deepEqual(
      (await listWatches(db)).map((w) => w.conversationId),
      [CHANNEL],
    );
    assert.match(String(textsIn(CHANNEL)[0]), /thread .* no longer exists/);
    await addChange(db, 'megan', ['Available'], ['Busy'], START + 10_000);
    edge.clock.advanceTo(START + 10_000);
    await fanOut(fixture.store, edge.clock);
    await drain(createSender(fixture.store, edge.clock), db, edge.clock);
    assert.match(textsIn(CHANNEL).join('\n'), /is now Busy/);
  });

  it('as the app builds it: tells the keeper to plan the tenant of a lost conversation again', async () => {
    const db = fixture.store.db;
    await addWatch(db, GROUP, 'megan');
    await addChange(db, 'megan', ['Away'], ['Available']);
    edge.connector.script(GROUP, { status: 404 });

    const { service, replans } = await startAlerts(fixture.store, edge.clock);
    service.presenceChanged();
    await eventually(() => textsIn(PERSONAL).length > 0);
    await service.stop();

    assert.deepEqual(replans, [TENANT]);
    assert.deepEqual(await listWatches(db, { conversationId: GROUP }), []);
    assert.match(String(textsIn(PERSONAL)[0]), /can no longer post into the group chat “Project”/);
  });
});
