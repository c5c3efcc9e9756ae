import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ORDER_DOUBT_WINDOW_MS } from '../../src/store/presence-order';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

describe('subscription keeper: a sign-in lost across a restart', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness({ config: { redundancy: 1 } });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
  });
  afterEach(() => h.close());

  it('asks the watcher to sign in again at the start-up resync, not at the liveness check', async () => {
    await h.keeper().runOnce();
    const lost = h.live()[0]!;
    h.tokens.signOut(ALEX_ID);
    assert.ok(h.sim.loseSubscription(lost.id));

    const restarted = h.keeper();
    await restarted.queueFullResync();
    await restarted.runOnce();

    assert.deepEqual(
      h.signIns.map((event) => [event.userId.toLowerCase(), event.conversationIds]),
      [[ALEX_ID.toLowerCase(), ['conv-1']]],
    );
    await restarted.runOnce();
    assert.equal(h.signIns.length, 1, 'asked once per episode, not on every retry');
  });

  it('reads presence at once when the watcher signs in again, not when the failed resync’s backoff ends', async () => {
    await h.keeper().runOnce();
    h.sim.clock.advance(ORDER_DOUBT_WINDOW_MS);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
    const lost = h.live()[0]!;
    h.tokens.signOut(ALEX_ID);
    assert.ok(h.sim.loseSubscription(lost.id));
    h.sim.setPresence(MEGAN_ID, COMMON_PRESENCES.available);

    const restarted = h.keeper();
    await restarted.queueFullResync();
    await restarted.runOnce();
    await restarted.runOnce();
    assert.equal((await h.changes()).at(-1)?.to, 'Busy', 'nobody can read presence yet');

    await h.tokens.signIn(ALEX_ID);
    restarted.userSignedIn(h.tenantId, ALEX_ID);
    await restarted.runOnce();

    const last = (await h.changes()).at(-1);
    assert.deepEqual([last?.to, last?.source], ['Available', 'resync']);
  });
});
