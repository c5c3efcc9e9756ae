import { randomBytes } from 'node:crypto';
import { createProcessIdentity, leaseOwnerOf } from '../../../src/app/process-identity';
import { silentLogger, type Logger } from '../../../src/logging/logger';
import { createMsalSignIn } from '../../../src/signin/msal/create-msal-sign-in';
import type { MsalCredential, MsalSignIn } from '../../../src/signin/msal/msal-sign-in';
import type { StoreDatabase } from '../../../src/store/open-database';
import { createStoreKeyRing, type StoreKeyRing } from '../../../src/store/store-keys';
import type { RunningSimulator } from '../../../tools/simulator/simulator-server';
import sinon from 'sinon';
import type { EngineFixture } from '../../helpers/for-each-engine';
import {
  consent,
  registerTestApp,
  ssoTokenFor,
  TEST_CLIENT_SECRET,
} from '../../helpers/simulated-entra';
import {
  ALEX_ID,
  graphCall,
  MEGAN_ID,
  startTestSimulator,
  TEST_APP_ID,
} from '../../helpers/tenant-simulator-harness';

/** A store key ring for a test run. */
export function testStoreKeys(): StoreKeyRing {
  return createStoreKeyRing(randomBytes(32));
}

/** An MsalSignIn against the simulator's Entra over TLS, trusting only its CA besides the usual roots. */
export function msalSignInFor(
  sim: RunningSimulator,
  database: StoreDatabase,
  storeKeys: StoreKeyRing,
  options: { credential?: MsalCredential; logger?: Logger } = {},
): MsalSignIn {
  return createMsalSignIn({
    clientId: TEST_APP_ID,
    authority: sim.entra.authorityUrl,
    credential: options.credential ?? { kind: 'secret', clientSecret: TEST_CLIENT_SECRET },
    database,
    storeKeys,
    leaseOwner: leaseOwnerOf(createProcessIdentity(), 'msal'),
    trustedCaPem: sim.entra.caCertificatePem,
    logger: options.logger ?? silentLogger(),
  });
}

/** What each MSAL test gets: a simulator with the test app, a store key ring and an MsalSignIn. */
export interface MsalTestContext {
  sim: RunningSimulator;
  storeKeys: StoreKeyRing;
  msal: MsalSignIn;
  /** Lets `ms` pass for Entra (the simulator clock) and for MSAL (Date), so access tokens lapse. */
  passTime(ms: number): void;
  /** Alex consents and signs in on behalf of (OBO). */
  signInAlex(): Promise<void>;
  /** The status the simulated Graph answers a presence read with this token. */
  presenceStatus(token: string): Promise<number>;
}

/** Registers hooks giving each test of an engine block a fresh MsalTestContext. */
export function useMsalTestContext(fixture: EngineFixture): MsalTestContext {
  let fakeDate: sinon.SinonFakeTimers | undefined;
  let travelled = 0;
  const ctx = {
    passTime(ms: number) {
      const realNow = Date.now() - travelled;
      travelled += ms;
      fakeDate?.restore();
      fakeDate = sinon.useFakeTimers({
        now: realNow + travelled,
        toFake: ['Date'],
        shouldAdvanceTime: true,
      });
      ctx.sim.clock.advance(ms);
    },
    async signInAlex() {
      consent(ctx.sim, ALEX_ID);
      await ctx.msal.onBehalfOf(await ssoTokenFor(ctx.sim, ALEX_ID));
    },
    async presenceStatus(token: string) {
      return (await graphCall(ctx.sim, token, 'GET', `/users/${MEGAN_ID}/presence`)).status;
    },
  } as MsalTestContext;
  beforeEach(async () => {
    ctx.sim = await startTestSimulator();
    registerTestApp(ctx.sim);
    ctx.storeKeys = testStoreKeys();
    ctx.msal = msalSignInFor(ctx.sim, fixture.store, ctx.storeKeys);
  });
  afterEach(async () => {
    fakeDate?.restore();
    fakeDate = undefined;
    travelled = 0;
    await ctx.sim.stop();
  });
  return ctx;
}
