import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WatchesChanged } from '../../src/app/service-builders';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

describe('subscription keeper: told that a tenant’s watches changed', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness();
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
  });
  afterEach(() => h.close());

  const covered = (): string[] => h.live().flatMap((subscription) => [...subscription.userIds]);

  it('covers a newly watched person in its next passes, not at its next planned replan', async () => {
    const watchesChanged: WatchesChanged = new EventEmitter();
    const keeper = h.keeper({ watchesChanged });
    await keeper.runOnce();
    assert.deepEqual(covered(), [MEGAN_ID.toLowerCase()]);
    await h.watch('conv-1', ALEX_ID, ADELE_ID);

    watchesChanged.emit('changed', h.tenantId);
    for (let pass = 0; pass < 2; pass += 1) {
      h.sim.clock.advance(h.config.debounceMs);
      await keeper.runOnce();
    }

    assert.deepEqual(covered().sort(), [ADELE_ID, MEGAN_ID].map((id) => id.toLowerCase()).sort());
  });
});
