import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ORDER_DOUBT_WINDOW_MS } from '../../src/store/presence-order';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;
const alex = ALEX_ID.toLowerCase();

describe('subscription keeper: signing in again', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness({ config: { redundancy: 1 } });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
  });
  afterEach(() => h.close());

  it('resumes coverage in the next pass after a sign-in, not after the auth recheck', async () => {
    const keeper = h.keeper();
    await keeper.runOnce();
    const first = h.live()[0]?.id;
    h.tokens.signOut(ALEX_ID);
    h.sim.triggerLifecycle(first ?? '', 'reauthorizationRequired');
    await h.settle();
    await keeper.runOnce();
    assert.equal((await h.rows())[0]?.state, 'failed-auth');
    h.sim.clock.advance(16 * MINUTE);
    await keeper.runOnce();

    await h.tokens.signIn(ALEX_ID);
    keeper.userSignedIn(h.tenantId, ALEX_ID);
    await keeper.runOnce();

    const live = h.live();
    assert.equal(live.length, 1, 'the old subscription is deleted, one new one is live');
    assert.notEqual(live[0]?.id, first);
    assert.equal(live[0]?.creatorId.toLowerCase(), alex);
    const [row] = await h.rows();
    assert.equal(row?.state, 'active');
    assert.equal(row?.graphSubscriptionId, live[0]?.id);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
    assert.equal((await h.changes()).at(-1)?.source, 'notification');
  });

  it('deletes a subscription it stopped using while the token was gone once the token is back', async () => {
    const keeper = h.keeper();
    await keeper.runOnce();
    const first = h.live()[0]?.id;
    h.tokens.signOut(ALEX_ID);
    await h.unwatch('conv-1', MEGAN_ID);
    keeper.requestReplan(h.tenantId);
    await keeper.runOnce();
    h.sim.clock.advance(16 * MINUTE);
    await keeper.runOnce();
    assert.equal(h.live()[0]?.id, first, 'Graph still has it: no token to delete it with');

    await h.tokens.signIn(ALEX_ID);
    keeper.userSignedIn(h.tenantId, ALEX_ID);
    await keeper.runOnce();

    assert.deepEqual(h.live(), []);
    assert.deepEqual(await h.rows(), []);
  });

  it('re-consent after revoked consent restores coverage in the next pass', async () => {
    const keeper = h.keeper();
    await keeper.runOnce();
    h.sim.revokeConsent(ALEX_ID);
    await h.settle();
    await keeper.runOnce();
    assert.equal((await h.rows())[0]?.state, 'failed-auth');

    await h.tokens.signIn(ALEX_ID);
    keeper.userSignedIn(h.tenantId, ALEX_ID);
    await keeper.runOnce();

    assert.equal((await h.rows())[0]?.state, 'active');
    h.sim.clock.advance(ORDER_DOUBT_WINDOW_MS);
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
    assert.equal((await h.changes()).at(-1)?.to, 'Busy');
  });
});
