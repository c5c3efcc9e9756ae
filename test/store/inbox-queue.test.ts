import assert from 'node:assert/strict';
import { isAppError } from '../../src/errors/app-error';
import {
  claimPending,
  markDone,
  markRejected,
  releaseLease,
  appendBatch,
  countByStatus,
  purgeFinished,
} from '../../src/store/inbox-queue';
import { forEachEngine } from '../helpers/for-each-engine';
import { inboxBatch, inboxItem } from './inbox-fixtures';

const NOW = 1_700_000_000_000;
const LEASE_MS = 30_000;

forEachEngine('notification inbox: append', (fixture) => {
  it('stores every item with the batch tokens, timestamps as numbers', async () => {
    const batch = { ...inboxBatch(['a', 'b', 'c'], NOW), validationTokens: ['jwt-1', 'jwt-2'] };
    assert.deepEqual(await appendBatch(fixture.store.db, batch), { inserted: 3, duplicates: 0 });
    const claimed = await claimPending(fixture.store.db, {
      owner: 'w1',
      limit: 10,
      leaseMs: LEASE_MS,
      now: NOW,
    });
    assert.deepEqual(
      claimed.map((item) => JSON.parse(item.payload).dedupeKey),
      ['a', 'b', 'c'],
    );
    for (const item of claimed) {
      assert.deepEqual(item.validationTokens, ['jwt-1', 'jwt-2']);
      assert.equal(item.receivedAt, NOW);
      assert.equal(item.attempts, 1);
      assert.equal(typeof item.id, 'number');
      assert.equal(item.batchId, claimed[0]?.batchId);
    }
  });

  it('skips items already in the inbox and repeated keys within a batch', async () => {
    await appendBatch(fixture.store.db, inboxBatch(['a', 'b']));
    assert.deepEqual(await appendBatch(fixture.store.db, inboxBatch(['b', 'c', 'c'])), {
      inserted: 1,
      duplicates: 2,
    });
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 3, done: 0, rejected: 0 });
  });

  it('stores nothing of a batch when one item fails', async () => {
    const broken = inboxItem('b', { dedupeKey: null as unknown as string });
    const batch = { ...inboxBatch(['a'], NOW), items: [inboxItem('a'), broken] };
    await assert.rejects(appendBatch(fixture.store.db, batch), (error: unknown) =>
      isAppError(error, 'STORE_UNAVAILABLE'),
    );
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 0, done: 0, rejected: 0 });
    const batches = await fixture.store.db.selectFrom('notification_batches').selectAll().execute();
    assert.deepEqual(batches, []);
  });

  it('stores large batches in several multi-row inserts', async () => {
    const keys = Array.from({ length: 1234 }, (_, i) => `key-${i}`);
    assert.deepEqual(await appendBatch(fixture.store.db, inboxBatch(keys)), {
      inserted: 1234,
      duplicates: 0,
    });
    assert.equal((await countByStatus(fixture.store.db)).pending, 1234);
  });
});

forEachEngine('notification inbox: claim', (fixture) => {
  const claim = (owner: string, limit: number, now = NOW) =>
    claimPending(fixture.store.db, { owner, limit, leaseMs: LEASE_MS, now });
  const keysOf = (items: { payload: string }[]) =>
    items.map((item) => JSON.parse(item.payload).dedupeKey as string);

  it('leases the oldest items to one owner at a time', async () => {
    await appendBatch(fixture.store.db, inboxBatch(['a', 'b']));
    await appendBatch(fixture.store.db, inboxBatch(['c']));
    assert.deepEqual(keysOf(await claim('w1', 2)), ['a', 'b']);
    assert.deepEqual(keysOf(await claim('w2', 5, NOW + LEASE_MS - 1)), ['c']);
    assert.deepEqual(await claim('w3', 5, NOW + 1000), []);
    const rows = await fixture.store.db
      .selectFrom('notification_inbox')
      .select(['dedupe_key', 'lease_owner', 'lease_until'])
      .orderBy('id')
      .execute();
    assert.deepEqual(rows, [
      { dedupe_key: 'a', lease_owner: 'w1', lease_until: NOW + LEASE_MS },
      { dedupe_key: 'b', lease_owner: 'w1', lease_until: NOW + LEASE_MS },
      { dedupe_key: 'c', lease_owner: 'w2', lease_until: NOW + 2 * LEASE_MS - 1 },
    ]);
  });

  it('claims an item again once its lease expires, counting attempts', async () => {
    await appendBatch(fixture.store.db, inboxBatch(['a']));
    await claim('w1', 1);
    const again = await claim('w2', 1, NOW + LEASE_MS);
    assert.deepEqual(keysOf(again), ['a']);
    assert.equal(again[0]?.attempts, 2);
  });

  it('never hands out finished items', async () => {
    await appendBatch(fixture.store.db, inboxBatch(['a', 'b', 'c']));
    const [a, b] = await claim('w1', 2);
    await markDone(fixture.store.db, { owner: 'w1', now: NOW }, [a!.id]);
    await markRejected(fixture.store.db, { owner: 'w1', now: NOW }, b!.id, 'DECRYPTION_FAILED');
    assert.deepEqual(keysOf(await claim('w2', 10, NOW + 10 * LEASE_MS)), ['c']);
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 1, done: 1, rejected: 1 });
    const rejected = await fixture.store.db
      .selectFrom('notification_inbox')
      .select(['error_code', 'finished_at', 'lease_owner'])
      .where('id', '=', b!.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(rejected, {
      error_code: 'DECRYPTION_FAILED',
      finished_at: NOW,
      lease_owner: null,
    });
  });

  it('gives released items back, after a back-off when one is given', async () => {
    await appendBatch(fixture.store.db, inboxBatch(['a', 'b']));
    const [a, b] = await claim('w1', 2);
    await releaseLease(fixture.store.db, { owner: 'w1', now: NOW }, [a!.id]);
    await releaseLease(fixture.store.db, { owner: 'w1', now: NOW }, [b!.id], NOW + 5000);
    assert.deepEqual(keysOf(await claim('w2', 10, NOW + 1)), ['a']);
    assert.deepEqual(keysOf(await claim('w3', 10, NOW + 5000)), ['b']);
  });

  it('leaves items pending when the caller transaction marking them rolls back', async () => {
    await appendBatch(fixture.store.db, inboxBatch(['a', 'b']));
    const [a, b] = await claim('w1', 2);
    await assert.rejects(
      fixture.store.db.transaction().execute(async (trx) => {
        await markDone(trx, { owner: 'w1', now: NOW }, [a!.id]);
        await markRejected(trx, { owner: 'w1', now: NOW }, b!.id, 'NOTIFICATION_REJECTED');
        throw new Error('effects failed');
      }),
      /effects failed/,
    );
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 2, done: 0, rejected: 0 });
    assert.deepEqual(keysOf(await claim('w2', 10, NOW + LEASE_MS)), ['a', 'b']);
  });

  it('gives each item to one of two concurrent claimers', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `key-${i}`);
    await appendBatch(fixture.store.db, inboxBatch(keys));
    const stores =
      fixture.engine === 'postgres'
        ? [await fixture.open(), await fixture.open()]
        : [fixture.store, fixture.store];
    const drain = async (owner: string, index: number) => {
      const got: string[] = [];
      for (;;) {
        const items = await claimPending(stores[index]!.db, {
          owner,
          limit: 7,
          leaseMs: LEASE_MS,
          now: NOW,
        });
        if (items.length === 0) return got;
        got.push(...keysOf(items));
      }
    };
    const [first, second] = await Promise.all([drain('w1', 0), drain('w2', 1)]);
    assert.equal(new Set([...first, ...second]).size, 300);
    assert.equal(first.length + second.length, 300);
  });
});

forEachEngine('notification inbox: purge', (fixture) => {
  it('deletes finished items older than the cutoff and their emptied batches', async () => {
    await appendBatch(fixture.store.db, inboxBatch(['old-done', 'old-rejected'], NOW));
    await appendBatch(fixture.store.db, inboxBatch(['pending'], NOW));
    await appendBatch(fixture.store.db, inboxBatch(['recent'], NOW));
    const claimed = await claimPending(fixture.store.db, {
      owner: 'w',
      limit: 4,
      leaseMs: 1,
      now: NOW,
    });
    const [oldDone, oldRejected, , recent] = claimed;
    await markDone(fixture.store.db, { owner: 'w', now: NOW + 10 }, [oldDone!.id]);
    await markRejected(
      fixture.store.db,
      { owner: 'w', now: NOW + 10 },
      oldRejected!.id,
      'DECRYPTION_FAILED',
    );
    await markDone(fixture.store.db, { owner: 'w', now: NOW + 1000 }, [recent!.id]);
    assert.deepEqual(await purgeFinished(fixture.store.db, NOW + 500), { items: 2, batches: 1 });
    const left = await fixture.store.db
      .selectFrom('notification_inbox')
      .select('dedupe_key')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      left.map((row) => row.dedupe_key),
      ['pending', 'recent'],
    );
  });
});
