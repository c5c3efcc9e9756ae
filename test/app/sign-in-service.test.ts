import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'restify';
import { createProcessIdentity, leaseOwnerOf } from '../../src/app/process-identity';
import { startMsalSignInService, type MsalSignInService } from '../../src/app/sign-in-service';
import type { SignInAccount } from '../../src/bot/user-token-provider';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/logging/logger';
import { closeServer, createHttpServer } from '../../src/server/http-server';
import { createStoreKeyRing } from '../../src/store/store-keys';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import { expectAppError } from '../helpers/expect-app-error';
import { forEachEngine } from '../helpers/for-each-engine';
import {
  consent,
  registerTestApp,
  ssoTokenFor,
  TEST_CLIENT_SECRET,
} from '../helpers/simulated-entra';
import { createTempDirectory, type TempDirectory } from '../helpers/temp-files';
import {
  ALEX_ID,
  MEGAN_ID,
  startTestSimulator,
  TEST_APP_ID,
} from '../helpers/tenant-simulator-harness';

forEachEngine('msal sign-in service against the simulated Entra', (fixture) => {
  let sim: RunningSimulator;
  let files: TempDirectory;
  let server: Server;
  let service: MsalSignInService;
  let alex: SignInAccount;

  beforeEach(async function () {
    this.timeout(20000);
    sim = await startTestSimulator();
    registerTestApp(sim);
    consent(sim, ALEX_ID);
    files = await createTempDirectory();
    const config = loadConfig({
      SIGN_IN_MODE: 'msal',
      AAD_APP_CLIENT_ID: TEST_APP_ID,
      AAD_APP_CLIENT_SECRET: TEST_CLIENT_SECRET,
      AAD_APP_TENANT_ID: sim.tenantId,
      AAD_APP_OAUTH_AUTHORITY_HOST: new URL(sim.entra.url).origin,
      SSO_AUDIENCES: `api://botid-${TEST_APP_ID}`,
      SIGN_IN_TRUSTED_CA_FILE: await files.write('entra-ca.pem', sim.entra.caCertificatePem),
    });
    assert.ok(config.signIn.mode === 'msal');
    server = createHttpServer(silentLogger());
    service = await startMsalSignInService({
      config: config.signIn,
      store: fixture.store,
      storeKey: createStoreKeyRing(randomBytes(32)),
      leaseOwner: leaseOwnerOf(createProcessIdentity(), 'msal'),
      server,
      baseUrl: () => 'https://bot.example.test',
      teamsSso: true,
      logger: silentLogger(),
      now: Date.now,
    });
    alex = {
      channelUserId: 'user-id-0',
      channelId: 'msteams',
      tenantId: sim.tenantId,
      aadObjectId: ALEX_ID,
    };
  });

  afterEach(async () => {
    await closeServer(server);
    await sim.stop();
    await files.remove();
  });

  it('checks the SSO token against the Entra keys over TLS, exchanges it, and keeps the tokens', async () => {
    const graphToken = await service.tokens.exchange(alex, await ssoTokenFor(sim, ALEX_ID));
    assert.ok(graphToken);
    assert.equal(await service.tokens.getToken(sim.tenantId, ALEX_ID), graphToken);
  });

  it('refuses another user’s SSO token and keeps nothing', async () => {
    await expectAppError(
      service.tokens.exchange(alex, await ssoTokenFor(sim, MEGAN_ID)),
      'SSO_TOKEN_USER_MISMATCH',
    );
    await expectAppError(service.tokens.getToken(sim.tenantId, MEGAN_ID), 'TOKEN_UNAVAILABLE');
  });

  it('refuses an SSO token made for another bot', async () => {
    const forAnotherBot = await sim.authority.issueSsoToken({
      userId: ALEX_ID,
      botAppId: '11111111-2222-3333-4444-555555555555',
    });
    await expectAppError(
      service.tokens.exchange(alex, forAnotherBot),
      'SSO_TOKEN_AUDIENCE_INVALID',
    );
  });

  it('answers consent required when the user never consented', async () => {
    const adele = {
      ...alex,
      channelUserId: 'user-id-2',
      aadObjectId: '00000000-0000-0000-0000-0000000000022',
    };
    await expectAppError(
      service.tokens.exchange(adele, await ssoTokenFor(sim, adele.aadObjectId)),
      'SIGN_IN_CONSENT_REQUIRED',
    );
  });
});
