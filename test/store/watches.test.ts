import assert from 'node:assert/strict';
import {
  deleteWatches,
  listWatches,
  rebaselineWatches,
  removeWatch,
  renameWatchedPerson,
  upsertWatch,
  watchedPeopleByWatcher,
  type WatchInput,
} from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';

const NOW = 1_700_000_000_000;
const ALEX = 'AAAAAAAA-0000-0000-0000-000000000001';
const MEGAN = 'bbbbbbbb-0000-0000-0000-000000000002';

function watchInput(overrides: Partial<WatchInput> = {}): WatchInput {
  return {
    tenantId: 't1',
    conversationId: 'conv-1',
    watcherId: 'watcher-1',
    targetId: ALEX,
    onlyWhenAvailable: false,
    once: false,
    includeActivity: false,
    ...overrides,
  };
}

forEachEngine('watches', (fixture) => {
  it('stores a watch with lower-case ids and boolean options', async () => {
    const stored = await upsertWatch(
      fixture.store.db,
      watchInput({ watcherId: 'WATCHER-1', onlyWhenAvailable: true, includeActivity: true }),
      NOW,
    );
    assert.deepEqual(stored, {
      id: stored.id,
      tenantId: 't1',
      conversationId: 'conv-1',
      watcherId: 'watcher-1',
      targetId: ALEX.toLowerCase(),
      onlyWhenAvailable: true,
      once: false,
      includeActivity: true,
      createdAt: NOW,
      baselineAt: 0,
    });
    assert.deepEqual(await listWatches(fixture.store.db), [stored]);
  });

  it('stores the watched person’s name and keeps the newest one seen', async () => {
    const db = fixture.store.db;
    const names = async () => (await listWatches(db)).map((w) => w.targetName);
    await upsertWatch(db, watchInput({ targetName: 'Alex Wilber' }), NOW);
    assert.deepEqual(await names(), ['Alex Wilber']);
    await upsertWatch(db, watchInput(), NOW);
    await upsertWatch(db, watchInput({ targetName: '' }), NOW);
    assert.deepEqual(await names(), ['Alex Wilber']);
    await upsertWatch(db, watchInput({ targetName: 'Alex W.' }), NOW);
    assert.deepEqual(await names(), ['Alex W.']);
  });

  it('renames a person in every watch of them in the tenant', async () => {
    const db = fixture.store.db;
    await upsertWatch(db, watchInput({ targetName: 'Alex W.' }), NOW);
    await upsertWatch(db, watchInput({ conversationId: 'conv-2' }), NOW);
    await upsertWatch(
      db,
      watchInput({ tenantId: 't2', conversationId: 'conv-3', targetName: 'Other Alex' }),
      NOW,
    );
    await upsertWatch(db, watchInput({ targetId: MEGAN, targetName: 'Megan Bowen' }), NOW);
    await renameWatchedPerson(db, 't1', ALEX.toUpperCase(), 'Alex Wilber');
    const names = (await listWatches(db)).map((w) => [w.tenantId, w.targetName]);
    assert.deepEqual(names, [
      ['t1', 'Alex Wilber'],
      ['t1', 'Alex Wilber'],
      ['t2', 'Other Alex'],
      ['t1', 'Megan Bowen'],
    ]);
  });

  it('moves the baseline of a conversation’s watches forward only', async () => {
    const db = fixture.store.db;
    await upsertWatch(db, watchInput(), NOW);
    await upsertWatch(db, watchInput({ targetId: MEGAN }), NOW);
    await upsertWatch(db, watchInput({ conversationId: 'conv-2' }), NOW);
    await rebaselineWatches(db, 'conv-1', [ALEX], NOW + 5);
    await rebaselineWatches(db, 'conv-1', [ALEX], NOW + 1);
    const baselines = (await listWatches(db)).map((w) => [
      w.conversationId,
      w.targetId,
      w.baselineAt,
    ]);
    assert.deepEqual(baselines, [
      ['conv-1', ALEX.toLowerCase(), NOW + 5],
      ['conv-1', MEGAN, 0],
      ['conv-2', ALEX.toLowerCase(), 0],
    ]);
  });

  it('re-watching a person in a conversation updates options and watcher, keeping one row', async () => {
    const first = await upsertWatch(fixture.store.db, watchInput(), NOW);
    const again = await upsertWatch(
      fixture.store.db,
      watchInput({ targetId: ALEX.toLowerCase(), watcherId: 'watcher-2', once: true }),
      NOW + 1000,
    );
    assert.equal(again.id, first.id);
    assert.equal(again.watcherId, 'watcher-2');
    assert.equal(again.once, true);
    assert.equal(again.createdAt, NOW);
    assert.equal((await listWatches(fixture.store.db)).length, 1);
  });

  it('lists by any combination of filters, with ids matched case-insensitively', async () => {
    await upsertWatch(fixture.store.db, watchInput(), NOW);
    await upsertWatch(fixture.store.db, watchInput({ targetId: MEGAN }), NOW);
    await upsertWatch(fixture.store.db, watchInput({ conversationId: 'conv-2' }), NOW);
    await upsertWatch(
      fixture.store.db,
      watchInput({ tenantId: 't2', conversationId: 'c-t2', watcherId: 'w9' }),
      NOW,
    );
    const targetsOf = (watches: { conversationId: string; targetId: string }[]) =>
      watches.map((w) => `${w.conversationId}/${w.targetId.slice(0, 1)}`);
    assert.deepEqual(targetsOf(await listWatches(fixture.store.db, { targetId: ALEX })), [
      'conv-1/a',
      'conv-2/a',
      'c-t2/a',
    ]);
    assert.deepEqual(
      targetsOf(await listWatches(fixture.store.db, { tenantId: 't1', conversationId: 'conv-1' })),
      ['conv-1/a', 'conv-1/b'],
    );
    assert.equal((await listWatches(fixture.store.db, { watcherId: 'W9' })).length, 1);
    assert.equal((await listWatches(fixture.store.db, { tenantId: 't1' })).length, 3);
  });

  it('removes one watch or all of a conversation', async () => {
    await upsertWatch(fixture.store.db, watchInput(), NOW);
    await upsertWatch(fixture.store.db, watchInput({ targetId: MEGAN }), NOW);
    await upsertWatch(fixture.store.db, watchInput({ conversationId: 'conv-2' }), NOW);
    assert.equal(await removeWatch(fixture.store.db, 'conv-1', ALEX.toUpperCase()), true);
    assert.equal(await removeWatch(fixture.store.db, 'conv-1', ALEX), false);
    assert.equal((await deleteWatches(fixture.store.db, { conversationId: 'conv-1' })).length, 1);
    const left = await listWatches(fixture.store.db);
    assert.deepEqual(
      left.map((w) => w.conversationId),
      ['conv-2'],
    );
  });

  it('lists the watches of a channel: the channel and its reply chains, matched exactly', async () => {
    const channel = '19:a_b%c@thread.tacv2';
    const inChannel = [channel, `${channel};messageid=1`, `${channel};messageid=2`];
    const elsewhere = ['19:aXb%c@thread.tacv2;messageid=1', `${channel}x;messageid=1`, 'conv-1'];
    for (const conversationId of [...inChannel, ...elsewhere]) {
      await upsertWatch(fixture.store.db, watchInput({ conversationId }), NOW);
    }
    const listed = await listWatches(fixture.store.db, { channelId: channel });
    assert.deepEqual(
      listed.map((w) => w.conversationId),
      inChannel,
    );
  });

  it('gives the planner each watcher with the distinct people they watch in a tenant', async () => {
    await upsertWatch(fixture.store.db, watchInput({ watcherId: 'w2', targetId: MEGAN }), NOW);
    await upsertWatch(fixture.store.db, watchInput({ watcherId: 'w2' }), NOW);
    await upsertWatch(
      fixture.store.db,
      watchInput({ watcherId: 'w2', conversationId: 'conv-2' }),
      NOW,
    );
    await upsertWatch(fixture.store.db, watchInput({ watcherId: 'w1', conversationId: 'c3' }), NOW);
    await upsertWatch(
      fixture.store.db,
      watchInput({ tenantId: 't2', conversationId: 'c-t2', watcherId: 'w3' }),
      NOW,
    );
    const graph = await watchedPeopleByWatcher(fixture.store.db, 't1');
    assert.deepEqual(
      [...graph].map(([watcher, targets]) => [watcher, [...targets]]),
      [
        ['w1', [ALEX.toLowerCase()]],
        ['w2', [ALEX.toLowerCase(), MEGAN]],
      ],
    );
  });
});
