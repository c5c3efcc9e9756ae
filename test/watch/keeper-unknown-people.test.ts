import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ORDER_DOUBT_WINDOW_MS } from '../../src/store/presence-order';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const GONE_ID = '0b5e0000-0000-4000-8000-00000000d1ed';
const megan = MEGAN_ID.toLowerCase();

describe('subscription keeper: a watched person Graph does not know', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness({ simulator: { unknownPresenceIds: 'reject' } });
  });
  afterEach(() => h.close());

  it('leaves the unknown id out and keeps covering everyone else', async () => {
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    await h.watch('conv-1', ALEX_ID, GONE_ID);

    await h.keeper().runOnce();

    const live = h.live();
    assert.equal(live.length, 1);
    assert.deepEqual([...live[0]!.userIds], [megan]);
    h.sim.clock.advance(ORDER_DOUBT_WINDOW_MS);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
    assert.deepEqual((await h.changes()).at(-1), {
      userId: megan,
      from: 'Available',
      to: 'Busy',
      source: 'notification',
    });
    assert.equal(h.sim.counters().routes['GET /v1.0/users/:id'], 2);
  });
});
