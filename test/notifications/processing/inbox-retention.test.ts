import assert from 'node:assert/strict';
import { silentLogger } from '../../../src/logging/logger';
import {
  INBOX_RETENTION_MS,
  startInboxRetention,
} from '../../../src/notifications/processing/inbox-retention';
import {
  appendBatch,
  claimPending,
  countByStatus,
  markDone,
} from '../../../src/store/notification-inbox';
import { forEachEngine } from '../../helpers/for-each-engine';

forEachEngine('inbox retention', (fixture) => {
  it('purges items finished before the retention window and keeps recent and pending ones', async () => {
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
    await markDone(fixture.store.db, [old as number], now - INBOX_RETENTION_MS - 1000);
    await markDone(fixture.store.db, [recent as number], now - 1000);
    const stop = startInboxRetention(fixture.store.db, () => now, silentLogger());
    try {
      for (let i = 0; i < 50 && (await countByStatus(fixture.store.db)).done > 1; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual(await countByStatus(fixture.store.db), { pending: 1, done: 1, rejected: 0 });
    } finally {
      stop();
    }
  });
});
