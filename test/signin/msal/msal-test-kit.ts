import { randomBytes } from 'node:crypto';
import { silentLogger, type Logger } from '../../../src/logging/logger';
import { createMsalSignIn } from '../../../src/signin/msal/create-msal-sign-in';
import type { MsalCredential, MsalSignIn } from '../../../src/signin/msal/msal-sign-in';
import type { StoreDatabase } from '../../../src/store/open-database';
import { createStoreKeyRing, type StoreKeyRing } from '../../../src/store/store-keys';
import type { RunningSimulator } from '../../../tools/simulator/simulator-server';
import { TEST_CLIENT_SECRET } from '../../helpers/simulated-entra';
import { TEST_APP_ID } from '../../helpers/tenant-simulator-harness';

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
    trustedCaPem: sim.entra.caCertificatePem,
    logger: options.logger ?? silentLogger(),
  });
}
