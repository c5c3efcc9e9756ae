import assert from 'node:assert/strict';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;
const ISAIAH_ID = '00000000-0000-0000-0000-0000000000023';
const alex = ALEX_ID.toLowerCase();
const adele = ADELE_ID.toLowerCase();

describe('subscription keeper: signing out', function () {
  this.timeout(30_000);
  let h: KeeperHarness;

  beforeEach(async () => {
    h = await startKeeperHarness({ config: { redundancy: 1 } });
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
    await h.watch('conv-1', ALEX_ID, ISAIAH_ID);
    await h.watch('conv-2', ADELE_ID, MEGAN_ID);
  });
  afterEach(() => h.close());

  it('deletes the subscription at once, moves shared people to another watcher, and never uses the token again', async () => {
    const keeper = h.keeper();
    await keeper.runOnce();
    const byAlex = h.live().find((s) => s.creatorId.toLowerCase() === alex);
    assert.ok(byAlex, 'Alex covers Megan and Isaiah first');
    const token = await h.tokens.getToken(h.tenantId, ALEX_ID);
    const issued = h.tokens.issued.get(alex);

    const outcome = await keeper.userSignedOut({ tenantId: h.tenantId, userId: ALEX_ID, token });
    h.tokens.signOut(ALEX_ID);

    assert.equal(outcome.subscriptionDeleted, true);
    assert.deepEqual([...outcome.coveredByOthers], [MEGAN_ID.toLowerCase()]);
    assert.equal(h.live().filter((s) => s.creatorId.toLowerCase() === alex).length, 0);
    await keeper.runOnce();
    const byAdele = h.live().filter((s) => s.creatorId.toLowerCase() === adele);
    assert.deepEqual([...(byAdele[0]?.userIds ?? [])], [MEGAN_ID.toLowerCase()]);
    h.sim.clock.advance(16 * MINUTE);
    await keeper.runOnce();
    assert.equal(h.tokens.issued.get(alex), issued);
    assert.deepEqual(h.signIns, [], 'a chosen sign-out is not a failure to report');
    await h.setPresence(MEGAN_ID, COMMON_PRESENCES.busy);
    assert.equal((await h.changes()).at(-1)?.to, 'Busy');

    await h.tokens.signIn(ALEX_ID);
    keeper.userSignedIn(h.tenantId, ALEX_ID);
    await keeper.runOnce();
    const again = h.live().find((s) => s.creatorId.toLowerCase() === alex);
    assert.deepEqual([...(again?.userIds ?? [])], [ISAIAH_ID.toLowerCase()]);
  });

  it('without a token, keeps the subscription id and deletes it at the next sign-in', async () => {
    const keeper = h.keeper();
    await keeper.runOnce();
    const byAlex = h.live().find((s) => s.creatorId.toLowerCase() === alex);
    h.tokens.signOut(ALEX_ID);

    const outcome = await keeper.userSignedOut({
      tenantId: h.tenantId,
      userId: ALEX_ID,
      token: undefined,
    });
    await keeper.runOnce();

    assert.equal(outcome.subscriptionDeleted, false);
    assert.ok(h.live().some((s) => s.id === byAlex?.id));
    await h.tokens.signIn(ALEX_ID);
    keeper.userSignedIn(h.tenantId, ALEX_ID);
    await keeper.runOnce();
    assert.equal(
      h.live().some((s) => s.id === byAlex?.id),
      false,
    );
  });
});
