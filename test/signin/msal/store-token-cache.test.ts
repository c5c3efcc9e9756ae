import assert from 'node:assert/strict';
import { msalCachePartitionKey, readCachePartition } from '../../../src/store/msal-token-cache';
import {
  createCacheSession,
  type CacheWriteMode,
} from '../../../src/signin/msal/store-token-cache';
import { expectAppError } from '../../helpers/expect-app-error';
import { forEachEngine } from '../../helpers/for-each-engine';
import { testStoreKeys } from './msal-test-kit';

const KEY = msalCachePartitionKey('Tenant-1', 'User-1');

forEachEngine('MSAL cache session', (fixture) => {
  const storeKeys = testStoreKeys();
  const session = (mode: CacheWriteMode, userKnown = true) =>
    createCacheSession({
      database: fixture.store,
      storeKeys,
      partitionKey: userKnown ? KEY : undefined,
      mode,
      now: Date.now,
    });

  it('opens what it sealed, as the partition of the account MSAL cached', async () => {
    const writer = session('replace', false);
    assert.equal(await writer.partitions.getKey(), '');
    await writer.client.set(KEY, '{"Account":{}}');
    assert.equal(await session('compare-and-swap').client.get(KEY), '{"Account":{}}');
    assert.equal(
      await session('compare-and-swap').client.get(msalCachePartitionKey('t', 'other')),
      '',
    );
  });

  it('refuses a compare-and-swap write over a partition written since it was read', async () => {
    await session('replace').client.set(KEY, 'first');
    const late = session('compare-and-swap');
    await late.client.get(KEY);
    const early = session('compare-and-swap');
    await early.client.get(KEY);
    await early.client.set(KEY, 'second');
    await expectAppError(late.client.set(KEY, 'stale'), 'STORE_UNAVAILABLE');
    assert.equal(await session('compare-and-swap').client.get(KEY), 'second');
    assert.equal((await readCachePartition(fixture.store.db, KEY))?.version, 2);
  });

  it('refuses a compare-and-swap creation when another writer created the partition first', async () => {
    const late = session('compare-and-swap');
    assert.equal(await late.client.get(KEY), '');
    await session('replace').client.set(KEY, 'created');
    await expectAppError(late.client.set(KEY, 'stale'), 'STORE_UNAVAILABLE');
  });
});
