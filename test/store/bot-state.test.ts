import assert from 'node:assert/strict';
import { ConversationState, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { createStoreBackedStorage, purgeStaleBotState } from '../../src/store/bot-state';
import { expectAppError } from '../helpers/expect-app-error';
import { forEachEngine } from '../helpers/for-each-engine';

const NOW = 1_700_000_000_000;

forEachEngine('bot turn state storage', (fixture) => {
  it('reads back what was written, with an eTag, and nothing for unknown keys', async () => {
    const storage = createStoreBackedStorage(fixture.store.db, () => NOW);
    await storage.write({ 'conv/a': { pending: { text: '/watch Megan' } } });
    const items = await storage.read(['conv/a', 'conv/missing']);
    assert.deepEqual(Object.keys(items), ['conv/a']);
    assert.deepEqual(items['conv/a']?.pending, { text: '/watch Megan' });
    assert.equal(typeof items['conv/a']?.eTag, 'string');
  });

  it('is shared by two storages on one database: state written by one is read by the other', async () => {
    const first = createStoreBackedStorage(fixture.store.db, () => NOW);
    const second = createStoreBackedStorage(fixture.store.db, () => NOW);
    await first.write({ key: { step: 1 } });
    assert.equal((await second.read(['key'])).key?.step, 1);
  });

  it('refuses a write with a stale eTag and accepts `*` and the current one', async () => {
    const storage = createStoreBackedStorage(fixture.store.db, () => NOW);
    await storage.write({ key: { step: 1 } });
    const read = (await storage.read(['key'])).key as { eTag: string };
    await storage.write({ key: { step: 2, eTag: read.eTag } });
    await expectAppError(
      storage.write({ key: { step: 3, eTag: read.eTag } }),
      'BOT_STATE_CONFLICT',
    );
    await storage.write({ key: { step: 4, eTag: '*' } });
    assert.equal((await storage.read(['key'])).key?.step, 4);
  });

  it('deletes keys and purges state untouched since a time', async () => {
    let now = NOW;
    const storage = createStoreBackedStorage(fixture.store.db, () => now);
    await storage.write({ old: { a: 1 }, gone: { b: 2 } });
    now = NOW + 1_000;
    await storage.write({ fresh: { c: 3 } });
    await storage.delete(['gone']);
    assert.equal(await purgeStaleBotState(fixture.store.db, NOW + 500), 1);
    assert.deepEqual(Object.keys(await storage.read(['old', 'gone', 'fresh'])), ['fresh']);
  });

  it("keeps botbuilder's conversation state across turns handled by different storages", async () => {
    const adapter = new TestAdapter();
    const activity = (text: string): Partial<Activity> => ({
      ...adapter.makeActivity(text),
      channelId: 'msteams',
      conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
    });
    const turn = async (
      text: string,
      run: (state: ConversationState, ctx: TurnContext) => Promise<void>,
    ) => {
      const state = new ConversationState(createStoreBackedStorage(fixture.store.db, () => NOW));
      const context = new TurnContext(adapter, activity(text));
      await state.load(context);
      await run(state, context);
      await state.saveChanges(context);
    };
    await turn('/watch Megan', async (state, context) => {
      await state.createProperty<string>('pending').set(context, '/watch Megan');
    });
    let pending: string | undefined;
    await turn('123456', async (state, context) => {
      pending = await state.createProperty<string>('pending').get(context);
    });
    assert.equal(pending, '/watch Megan');
  });
});
