import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { MsalSignIn } from '../../src/signin/msal/msal-sign-in';
import { consent, registerTestApp, ssoTokenFor } from '../helpers/simulated-entra';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { msalSignInFor, testStoreKeys } from '../signin/msal/msal-test-kit';
import { startKeeperHarness, type KeeperHarness } from './keeper-harness';

const MINUTE = 60_000;
/** Entra's shortest configurable access-token lifetime: MSAL refreshes 5 minutes before it ends. */
const SIGN_IN_TOKEN_LIFETIME_SECONDS = 10 * 60;

describe('subscription keeper with MSAL sign-in (SIGN_IN_MODE=msal)', function () {
  this.timeout(30_000);
  let h: KeeperHarness;
  let msal: MsalSignIn;
  let fakeDate: sinon.SinonFakeTimers | undefined;
  let refreshes: number;

  /** Six minutes pass for the simulator and for MSAL: the sign-in's access token is due for refresh. */
  const sixMinutesPass = (): void => {
    fakeDate = sinon.useFakeTimers({
      now: Date.now() + 6 * MINUTE,
      toFake: ['Date'],
      shouldAdvanceTime: true,
    });
    h.sim.clock.advance(6 * MINUTE);
  };

  beforeEach(async () => {
    h = await startKeeperHarness({ config: { redundancy: 1 } });
    registerTestApp(h.sim);
    const authority = h.sim.authority;
    const issue = authority.issue.bind(authority);
    authority.issue = (request) =>
      issue({ ...request, lifetimeSeconds: SIGN_IN_TOKEN_LIFETIME_SECONDS });
    const refresh = authority.refresh.bind(authority);
    refreshes = 0;
    authority.refresh = (token, options) => {
      refreshes += 1;
      return refresh(token, options);
    };
    msal = msalSignInFor(h.sim, h.store, testStoreKeys());
    consent(h.sim, ALEX_ID);
    await msal.onBehalfOf(await ssoTokenFor(h.sim, ALEX_ID));
    await h.watch('conv-1', ALEX_ID, MEGAN_ID);
  });

  afterEach(async () => {
    fakeDate?.restore();
    fakeDate = undefined;
    await h.close();
  });

  it('renews the subscription with a token MSAL refreshed silently once the first one neared its end', async () => {
    const keeper = h.keeper({ tokens: msal });
    await keeper.runOnce();
    const [created] = h.live();
    assert.ok(created, 'a subscription was created with the sign-in token');
    const firstTokenEnd = created.tokenExpiresAt;

    sixMinutesPass();
    h.sim.triggerLifecycle(created.id, 'reauthorizationRequired');
    await h.settle();
    await keeper.runOnce();

    const [renewed] = h.live();
    assert.equal(renewed?.id, created.id, 'renewed in place, not recreated');
    assert.equal(refreshes, 1, 'MSAL redeemed the refresh token once');
    assert.ok((renewed?.tokenExpiresAt ?? 0) > firstTokenEnd, 'renewed with the refreshed token');
    assert.equal((await h.rows())[0]?.state, 'active');
    assert.deepEqual(h.signIns, []);
  });

  it('asks the user in their conversation to sign in again once Entra revoked the refresh token', async () => {
    const keeper = h.keeper({ tokens: msal });
    await keeper.runOnce();
    const [created] = h.live();
    const revoked = await fetch(`${h.sim.url}/_sim/identity/users/${ALEX_ID}/revoke-sessions`, {
      method: 'POST',
    });
    assert.equal(revoked.status, 204);

    sixMinutesPass();
    h.sim.triggerLifecycle(created?.id ?? '', 'reauthorizationRequired');
    await h.settle();
    await keeper.runOnce();

    assert.equal((await h.rows())[0]?.state, 'failed-auth');
    assert.equal(h.signIns.length, 1);
    assert.equal(h.signIns[0]?.userId.toLowerCase(), ALEX_ID.toLowerCase());
    assert.deepEqual(h.signIns[0]?.conversationIds, ['conv-1']);
    assert.equal(h.signIns[0]?.errorCode, 'TOKEN_UNAVAILABLE');
  });
});
