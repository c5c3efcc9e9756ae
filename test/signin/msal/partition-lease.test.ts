import assert from 'node:assert/strict';
import {
  createProcessIdentity,
  deadOwnerPredicate,
  leaseOwnerOf,
  parseLeaseOwner,
} from '../../../src/app/process-identity';
import { withPartitionLease } from '../../../src/signin/msal/partition-lease';
import type { StoreExecutor } from '../../../src/store/database-schema';
import { replaceCachePartition } from '../../../src/store/msal-token-cache';
import { forEachEngine } from '../../helpers/for-each-engine';

const PARTITION = 'tenant-a.alex';

async function leaseOwnerNow(db: StoreExecutor): Promise<string | null> {
  const row = await db
    .selectFrom('msal_token_cache')
    .select('lease_owner')
    .where('partition_key', '=', PARTITION)
    .executeTakeFirstOrThrow();
  return row.lease_owner;
}

forEachEngine('MSAL partition lease', (fixture) => {
  const identity = createProcessIdentity('host-a', 4242, 'boot-a');
  const owner = leaseOwnerOf(identity, 'msal');

  beforeEach(async () => {
    await replaceCachePartition(fixture.store.db, {
      partitionKey: PARTITION,
      sealed: 'sealed',
      now: Date.now(),
    });
  });

  it('holds the partition in the name of this process, so a restart can free a dead one’s lease', async () => {
    const db = fixture.store.db;
    const held = (await withPartitionLease(db, PARTITION, owner, () => leaseOwnerNow(db))) ?? '';
    assert.ok(held.startsWith(`${owner}.`), `held as ${held}`);
    assert.deepEqual(parseLeaseOwner(held), identity);
    const restarted = createProcessIdentity('host-a', 4242, 'boot-b');
    assert.equal(deadOwnerPredicate(restarted)(held), true);
    assert.equal(await leaseOwnerNow(db), null, 'released after the operation');
  });

  it('runs two operations of one process on one partition one after the other', async () => {
    const db = fixture.store.db;
    const steps: string[] = [];
    const operation = (name: string) => async (): Promise<void> => {
      steps.push(`${name} starts`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      steps.push(`${name} ends`);
    };
    await Promise.all([
      withPartitionLease(db, PARTITION, owner, operation('a')),
      withPartitionLease(db, PARTITION, owner, operation('b')),
    ]);
    assert.deepEqual(
      steps.slice(0, 2).map((step) => step.split(' ')[1]),
      ['starts', 'ends'],
    );
  });
});
