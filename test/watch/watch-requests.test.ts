import assert from 'node:assert/strict';
import { upsertWatch } from '../../src/store/watches';
import { assertWatchAllowed } from '../../src/watch/watch-requests';
import { expectAppError } from '../helpers/expect-app-error';
import { forEachEngine } from '../helpers/for-each-engine';

const LIMITS = { redundancy: 2, maxIdsPerSubscription: 3 };

forEachEngine('assertWatchAllowed', (fixture) => {
  async function watch(watcherId: string, targetId: string): Promise<void> {
    await upsertWatch(
      fixture.store.db,
      {
        tenantId: 't',
        conversationId: `conv-${watcherId}`,
        watcherId,
        targetId,
        onlyWhenAvailable: false,
        once: false,
        includeActivity: false,
      },
      1,
    );
  }

  it('allows a request that fits in the requester subscription', async () => {
    await watch('w1', 'p1');
    await watch('w1', 'p2');
    const plan = await assertWatchAllowed(fixture.store.db, LIMITS, {
      tenantId: 't',
      watcherId: 'W1',
      targetIds: ['P3'],
    });
    assert.deepEqual([...(plan.assignments.get('w1') ?? [])], ['p1', 'p2', 'p3']);
  });

  it('refuses a request beyond the limit that nobody else can cover', async () => {
    for (const target of ['p1', 'p2', 'p3']) await watch('w1', target);
    await expectAppError(
      assertWatchAllowed(fixture.store.db, LIMITS, {
        tenantId: 't',
        watcherId: 'w1',
        targetIds: ['p4'],
      }),
      'WATCH_LIMIT_EXCEEDED',
    );
  });

  it('allows it when another watcher of the person has room', async () => {
    for (const target of ['p1', 'p2', 'p3']) await watch('w1', target);
    await watch('w2', 'p4');
    const plan = await assertWatchAllowed(fixture.store.db, LIMITS, {
      tenantId: 't',
      watcherId: 'w1',
      targetIds: ['p4'],
    });
    assert.deepEqual([...(plan.assignments.get('w2') ?? [])], ['p4']);
    assert.equal(plan.uncovered.size, 0);
  });
});
