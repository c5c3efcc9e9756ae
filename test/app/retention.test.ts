import assert from 'node:assert/strict';
import { retentionTasks } from '../../src/app/retention';
import { startMaintenance } from '../../src/app/store-maintenance';
import { silentLogger } from '../../src/logging/logger';
import { claimPending, markDone, appendBatch, countByStatus } from '../../src/store/inbox-queue';
import { forEachEngine } from '../helpers/for-each-engine';

const DAY_MS = 24 * 60 * 60 * 1000;

forEachEngine('retention', (fixture) => {
  it('purges inbox items finished more than a day ago and keeps recent and pending ones', async () => {
    const now = Date.now();
    const item = (key: string) => ({
      dedupeKey: key,
      subscriptionId: 's',
      tenantId: 't',
      payload: '{}',
    });
    await appendBatch(fixture.store.db, {
      receivedAt: now,
      validationTokens: [],
      items: [item('old'), item('recent'), item('pending')],
    });
    const claimed = await claimPending(fixture.store.db, {
      owner: 'w',
      limit: 2,
      leaseMs: 1000,
      now,
    });
    const [old, recent] = claimed.map((c) => c.id);
    await markDone(fixture.store.db, { owner: 'w', now: now - DAY_MS - 1000 }, [old as number]);
    await markDone(fixture.store.db, { owner: 'w', now: now - 1000 }, [recent as number]);
    const retention = startMaintenance(
      retentionTasks(fixture.store.db, () => now),
      silentLogger(),
    );
    try {
      for (let i = 0; i < 50 && (await countByStatus(fixture.store.db)).done > 1; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual(await countByStatus(fixture.store.db), { pending: 1, done: 1, rejected: 0 });
    } finally {
      await retention.stop();
    }
  });
});
