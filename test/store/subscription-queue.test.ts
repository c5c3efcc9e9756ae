import assert from 'node:assert/strict';
import { claimDueSubscriptions } from '../../src/store/subscription-queue';
import { recordSubscriptionRenewed } from '../../src/store/subscription-outcomes';
import { forEachEngine } from '../helpers/for-each-engine';
import { claimAs, desire, LEASE_MS, NOW } from './subscription-fixtures';

forEachEngine('graph subscriptions: claims', (fixture) => {
  const ownersOf = (records: { ownerId: string }[]) => records.map((r) => r.ownerId);

  it('leases due subscriptions, most overdue first, counting attempts', async () => {
    await desire(fixture.store.db, 'late', ['x'], NOW + 500);
    await desire(fixture.store.db, 'early', ['x'], NOW);
    await desire(fixture.store.db, 'future', ['x'], NOW + 10_000);
    const claimed = await claimAs(fixture.store.db, 'k1', NOW + 1000);
    assert.deepEqual(ownersOf(claimed), ['early', 'late']);
    for (const record of claimed) {
      assert.equal(record.leaseOwner, 'k1');
      assert.equal(record.leaseUntil, NOW + 1000 + LEASE_MS);
      assert.equal(record.attempts, 1);
    }
    assert.deepEqual(await claimAs(fixture.store.db, 'k2', NOW + 1000), []);
  });

  it('claims again once the lease expires or is released', async () => {
    await desire(fixture.store.db, 'a', ['x']);
    await desire(fixture.store.db, 'b', ['x']);
    await claimAs(fixture.store.db, 'k1');
    await recordSubscriptionRenewed(fixture.store.db, {
      tenantId: 't1',
      ownerId: 'a',
      leaseOwner: 'k1',
      now: NOW,
      expiresAt: NOW + 3_600_000,
      nextActionAt: NOW + 10,
    });
    assert.deepEqual(ownersOf(await claimAs(fixture.store.db, 'k2', NOW + 10)), ['a']);
    const expired = await claimAs(fixture.store.db, 'k2', NOW + LEASE_MS);
    assert.deepEqual(ownersOf(expired), ['b']);
    assert.equal(expired[0]?.attempts, 2);
  });

  it('honours the limit', async () => {
    for (const id of ['a', 'b', 'c']) await desire(fixture.store.db, id, ['x']);
    assert.deepEqual(ownersOf(await claimAs(fixture.store.db, 'k1', NOW, 2)), ['a', 'b']);
    assert.deepEqual(await claimAs(fixture.store.db, 'k1', NOW, 0), []);
  });

  it('gives each subscription to one of two concurrent keepers', async () => {
    const owners = Array.from({ length: 120 }, (_, i) => `owner-${String(i).padStart(3, '0')}`);
    for (const id of owners) await desire(fixture.store.db, id, ['x']);
    const stores =
      fixture.engine === 'postgres'
        ? [await fixture.open(), await fixture.open()]
        : [fixture.store, fixture.store];
    const drain = async (keeper: string, index: number) => {
      const got: string[] = [];
      for (;;) {
        const claimed = await claimDueSubscriptions(stores[index]!.db, {
          owner: keeper,
          limit: 7,
          leaseMs: LEASE_MS,
          now: NOW,
        });
        if (claimed.length === 0) return got;
        got.push(...ownersOf(claimed));
      }
    };
    const [first, second] = await Promise.all([drain('k1', 0), drain('k2', 1)]);
    assert.equal(first.length + second.length, owners.length);
    assert.deepEqual([...first, ...second].sort(), owners);
  });
});
