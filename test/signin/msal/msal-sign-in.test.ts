import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logging/logger';
import sinon from 'sinon';
import { generateSelfSignedCertificate } from '../../../src/notifications/keys/certificate';
import type { MsalSignIn } from '../../../src/signin/msal/msal-sign-in';
import { resealStoredSecrets } from '../../../src/store/store-key-reseal';
import { createStoreKeyRing, type StoreKeyRing } from '../../../src/store/store-keys';
import type { RunningSimulator } from '../../../tools/simulator/simulator-server';
import { expectAppError } from '../../helpers/expect-app-error';
import { forEachEngine } from '../../helpers/for-each-engine';
import {
  ALEX_ID,
  graphCall,
  MEGAN_ID,
  startTestSimulator,
} from '../../helpers/tenant-simulator-harness';
import {
  acceptConsent,
  consent,
  registerTestApp,
  ssoTokenFor,
  TEST_CLIENT_SECRET,
  TEST_REDIRECT_URI,
} from '../../helpers/simulated-entra';
import { msalSignInFor, testStoreKeys } from './msal-test-kit';

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

async function presenceStatus(sim: RunningSimulator, token: string): Promise<number> {
  return (await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}/presence`)).status;
}

forEachEngine('MSAL sign-in against the simulated Entra', (fixture) => {
  let sim: RunningSimulator;
  let storeKeys: StoreKeyRing;
  let msal: MsalSignIn;
  let fakeDate: sinon.SinonFakeTimers | undefined;
  let travelled = 0;

  /** Lets `ms` pass for Entra (the simulator clock) and for MSAL (Date), so access tokens lapse. */
  const passTime = (ms: number): void => {
    const realNow = Date.now() - travelled;
    travelled += ms;
    fakeDate?.restore();
    fakeDate = sinon.useFakeTimers({
      now: realNow + travelled,
      toFake: ['Date'],
      shouldAdvanceTime: true,
    });
    sim.clock.advance(ms);
  };

  const signInAlex = async (): Promise<void> => {
    consent(sim, ALEX_ID);
    await msal.onBehalfOf(await ssoTokenFor(sim, ALEX_ID));
  };

  beforeEach(async () => {
    sim = await startTestSimulator();
    registerTestApp(sim);
    storeKeys = testStoreKeys();
    msal = msalSignInFor(sim, fixture.store, storeKeys);
  });

  afterEach(async () => {
    fakeDate?.restore();
    fakeDate = undefined;
    travelled = 0;
    await sim.stop();
  });

  it('swaps a Teams SSO token on behalf of the user for a Graph token the simulated Graph accepts', async () => {
    consent(sim, ALEX_ID);
    const user = await msal.onBehalfOf(await ssoTokenFor(sim, ALEX_ID));
    assert.deepEqual(user, { tenantId: sim.tenantId, userId: ALEX_ID });
    assert.equal(await presenceStatus(sim, await msal.getToken(sim.tenantId, ALEX_ID)), 200);
  });

  it('refreshes silently through MSAL once the access token has expired', async () => {
    await signInAlex();
    const first = await msal.getToken(sim.tenantId, ALEX_ID);
    assert.equal(
      await msal.getToken(sim.tenantId, ALEX_ID),
      first,
      'a live token comes from the cache',
    );
    passTime(TWO_HOURS_MS);
    assert.equal(await presenceStatus(sim, first), 401);
    const refreshed = await msal.getToken(sim.tenantId, ALEX_ID);
    assert.notEqual(refreshed, first);
    assert.equal(await presenceStatus(sim, refreshed), 200);
    passTime(TWO_HOURS_MS);
    assert.equal(
      await presenceStatus(sim, await msal.getToken(sim.tenantId, ALEX_ID)),
      200,
      'the rotated refresh token was kept',
    );
  });

  it('asks for consent when the user has not consented, and signs in once they have', async () => {
    const ssoToken = await ssoTokenFor(sim, ALEX_ID);
    await expectAppError(msal.onBehalfOf(ssoToken), 'SIGN_IN_CONSENT_REQUIRED');
    await expectAppError(msal.getToken(sim.tenantId, ALEX_ID), 'TOKEN_UNAVAILABLE');
    const { url, codeVerifier } = await msal.authorizationUrl({
      state: 'state-1',
      redirectUri: TEST_REDIRECT_URI,
      loginHint: ALEX_ID,
    });
    const redirect = await acceptConsent(sim, url);
    assert.equal(redirect.searchParams.get('state'), 'state-1');
    const code = redirect.searchParams.get('code') ?? '';
    const user = await msal.redeemCode({ code, codeVerifier, redirectUri: TEST_REDIRECT_URI });
    assert.deepEqual(user, { tenantId: sim.tenantId, userId: ALEX_ID });
    assert.deepEqual(await msal.onBehalfOf(ssoToken), user);
    assert.equal(await presenceStatus(sim, await msal.getToken(sim.tenantId, ALEX_ID)), 200);
  });

  it('answers TOKEN_UNAVAILABLE once the refresh token is revoked, and a new sign-in works again', async () => {
    await signInAlex();
    sim.authority.revokeRefreshTokens(ALEX_ID);
    passTime(TWO_HOURS_MS);
    await expectAppError(msal.getToken(sim.tenantId, ALEX_ID), 'TOKEN_UNAVAILABLE');
    await msal.onBehalfOf(await ssoTokenFor(sim, ALEX_ID));
    assert.equal(await presenceStatus(sim, await msal.getToken(sim.tenantId, ALEX_ID)), 200);
  });

  it('answers TOKEN_UNAVAILABLE after sign-out, and for a user who never signed in', async () => {
    await signInAlex();
    await msal.signOut(sim.tenantId, ALEX_ID);
    await expectAppError(msal.getToken(sim.tenantId, ALEX_ID), 'TOKEN_UNAVAILABLE');
    await expectAppError(msal.getToken(sim.tenantId, MEGAN_ID), 'TOKEN_UNAVAILABLE');
  });

  it('keeps the cache across a restart: a new instance over the same database refreshes the user', async () => {
    await signInAlex();
    const restarted = msalSignInFor(sim, await fixture.open(), storeKeys);
    passTime(TWO_HOURS_MS);
    assert.equal(await presenceStatus(sim, await restarted.getToken(sim.tenantId, ALEX_ID)), 200);
  });

  it('lets two instances refresh one user at once without losing the rotated refresh token', async () => {
    await signInAlex();
    const other = msalSignInFor(sim, await fixture.open(), storeKeys);
    passTime(TWO_HOURS_MS);
    sim.entra.setTokenLatency(300);
    const tokens = await Promise.all([
      msal.getToken(sim.tenantId, ALEX_ID),
      other.getToken(sim.tenantId, ALEX_ID),
    ]);
    for (const token of tokens) assert.equal(await presenceStatus(sim, token), 200);
    sim.entra.setTokenLatency(0);
    passTime(TWO_HOURS_MS);
    assert.equal(await presenceStatus(sim, await other.getToken(sim.tenantId, ALEX_ID)), 200);
    assert.equal(await presenceStatus(sim, await msal.getToken(sim.tenantId, ALEX_ID)), 200);
  });

  it('stores the cache sealed: no token in clear in the database', async () => {
    await signInAlex();
    const token = await msal.getToken(sim.tenantId, ALEX_ID);
    const rows = await fixture.store.db.selectFrom('msal_token_cache').selectAll().execute();
    assert.equal(rows.length, 1);
    const stored = JSON.stringify(rows);
    assert.ok(!stored.includes(token), 'the access token is in clear');
    assert.ok(
      !stored.includes(token.split('.')[1] ?? token),
      'the access token claims are in clear',
    );
    assert.ok(!stored.includes('0.sim.'), 'a refresh token is in clear');
    assert.ok(!/secret|AccessToken|RefreshToken/i.test(stored), 'cache entries are in clear');
  });

  it('authenticates with a certificate instead of a client secret', async () => {
    const certificate = await generateSelfSignedCertificate({ commonName: 'bot', validDays: 2 });
    registerTestApp(sim, [certificate.certificatePem]);
    const withCertificate = msalSignInFor(sim, fixture.store, storeKeys, {
      credential: {
        kind: 'certificate',
        thumbprint: '',
        privateKeyPem: certificate.privateKeyPem,
        certificatePem: certificate.certificatePem,
      },
    });
    consent(sim, ALEX_ID);
    await withCertificate.onBehalfOf(await ssoTokenFor(sim, ALEX_ID));
    assert.equal(
      await presenceStatus(sim, await withCertificate.getToken(sim.tenantId, ALEX_ID)),
      200,
    );
  });

  it('logs no token, refresh token or cache content', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logged = msalSignInFor(sim, fixture.store, storeKeys, {
      logger: createLogger({ level: 'trace', format: 'json', destination }),
    });
    const ssoToken = await ssoTokenFor(sim, ALEX_ID);
    await expectAppError(logged.onBehalfOf(ssoToken), 'SIGN_IN_CONSENT_REQUIRED');
    consent(sim, ALEX_ID);
    await logged.onBehalfOf(ssoToken);
    const tokens = [ssoToken, await logged.getToken(sim.tenantId, ALEX_ID)];
    passTime(TWO_HOURS_MS);
    tokens.push(await logged.getToken(sim.tenantId, ALEX_ID));
    sim.authority.revokeRefreshTokens(ALEX_ID);
    passTime(TWO_HOURS_MS);
    await expectAppError(logged.getToken(sim.tenantId, ALEX_ID), 'TOKEN_UNAVAILABLE');
    const log = lines.join('');
    assert.match(log, /on-behalf-of exchange refused/);
    assert.match(log, /no token from the MSAL cache/);
    for (const token of tokens) assert.ok(!log.includes(token.split('.')[1] ?? token));
    assert.ok(!log.includes('0.sim.'), 'a refresh token reached the log');
    assert.ok(!log.includes(TEST_CLIENT_SECRET), 'the client secret reached the log');
  });

  it('moves the cache to a new store key when stored secrets are re-sealed', async () => {
    await signInAlex();
    const newKey = randomBytes(32);
    const rotated = createStoreKeyRing(newKey, [storeKeys.current.key]);
    assert.deepEqual(await resealStoredSecrets(fixture.store.db, rotated), {
      resealed: 1,
      unopenable: 0,
    });
    const onlyNewKey = msalSignInFor(sim, fixture.store, createStoreKeyRing(newKey));
    passTime(TWO_HOURS_MS);
    assert.equal(await presenceStatus(sim, await onlyNewKey.getToken(sim.tenantId, ALEX_ID)), 200);
  });
});
