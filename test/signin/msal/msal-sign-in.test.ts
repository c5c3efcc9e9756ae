import assert from 'node:assert/strict';
import { generateSelfSignedCertificate } from '../../../src/notifications/keys/certificate';
import { expectAppError } from '../../helpers/expect-app-error';
import { forEachEngine } from '../../helpers/for-each-engine';
import {
  acceptConsent,
  consent,
  registerTestApp,
  ssoTokenFor,
  TEST_REDIRECT_URI,
} from '../../helpers/simulated-entra';
import { ALEX_ID, MEGAN_ID } from '../../helpers/tenant-simulator-harness';
import { msalSignInFor, useMsalTestContext } from './msal-test-kit';

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

forEachEngine('MSAL sign-in against the simulated Entra', (fixture) => {
  const ctx = useMsalTestContext(fixture);

  it('swaps a Teams SSO token on behalf of the user for a Graph token the simulated Graph accepts', async () => {
    consent(ctx.sim, ALEX_ID);
    const user = await ctx.msal.onBehalfOf(await ssoTokenFor(ctx.sim, ALEX_ID));
    assert.deepEqual(user, { tenantId: ctx.sim.tenantId, userId: ALEX_ID });
    assert.equal(await ctx.presenceStatus(await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID)), 200);
  });

  it('refreshes silently through MSAL once the access token has expired', async () => {
    await ctx.signInAlex();
    const first = await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID);
    assert.equal(
      await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID),
      first,
      'a live token comes from the cache',
    );
    ctx.passTime(TWO_HOURS_MS);
    assert.equal(await ctx.presenceStatus(first), 401);
    const refreshed = await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID);
    assert.notEqual(refreshed, first);
    assert.equal(await ctx.presenceStatus(refreshed), 200);
    ctx.passTime(TWO_HOURS_MS);
    assert.equal(
      await ctx.presenceStatus(await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID)),
      200,
      'the rotated refresh token was kept',
    );
  });

  it('asks for consent when the user has not consented, and signs in once they have', async () => {
    const ssoToken = await ssoTokenFor(ctx.sim, ALEX_ID);
    await expectAppError(ctx.msal.onBehalfOf(ssoToken), 'SIGN_IN_CONSENT_REQUIRED');
    await expectAppError(ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID), 'TOKEN_UNAVAILABLE');
    const { url, codeVerifier } = await ctx.msal.authorizationUrl({
      state: 'state-1',
      redirectUri: TEST_REDIRECT_URI,
      loginHint: ALEX_ID,
    });
    const redirect = await acceptConsent(ctx.sim, url);
    assert.equal(redirect.searchParams.get('state'), 'state-1');
    const code = redirect.searchParams.get('code') ?? '';
    const user = await ctx.msal.redeemCode({ code, codeVerifier, redirectUri: TEST_REDIRECT_URI });
    assert.deepEqual(user, { tenantId: ctx.sim.tenantId, userId: ALEX_ID });
    assert.deepEqual(await ctx.msal.onBehalfOf(ssoToken), user);
    assert.equal(await ctx.presenceStatus(await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID)), 200);
  });

  it('makes an authorization URL again for an earlier verifier, and the code from the first redeems', async () => {
    consent(ctx.sim, ALEX_ID);
    const request = { state: 'state-2', redirectUri: TEST_REDIRECT_URI, loginHint: ALEX_ID };
    const first = await ctx.msal.authorizationUrl(request);
    const again = await ctx.msal.authorizationUrl({ ...request, codeVerifier: first.codeVerifier });
    assert.equal(again.codeVerifier, first.codeVerifier);
    const code = (await acceptConsent(ctx.sim, first.url)).searchParams.get('code') ?? '';
    const user = await ctx.msal.redeemCode({
      code,
      codeVerifier: again.codeVerifier,
      redirectUri: TEST_REDIRECT_URI,
    });
    assert.deepEqual(user, { tenantId: ctx.sim.tenantId, userId: ALEX_ID });
  });

  it('answers TOKEN_UNAVAILABLE once the refresh token is revoked, and a new sign-in works again', async () => {
    await ctx.signInAlex();
    ctx.sim.authority.revokeRefreshTokens(ALEX_ID);
    ctx.passTime(TWO_HOURS_MS);
    await expectAppError(ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID), 'TOKEN_UNAVAILABLE');
    await ctx.msal.onBehalfOf(await ssoTokenFor(ctx.sim, ALEX_ID));
    assert.equal(await ctx.presenceStatus(await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID)), 200);
  });

  it('answers TOKEN_UNAVAILABLE after sign-out, and for a user who never signed in', async () => {
    await ctx.signInAlex();
    await ctx.msal.signOut(ctx.sim.tenantId, ALEX_ID);
    await expectAppError(ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID), 'TOKEN_UNAVAILABLE');
    await expectAppError(ctx.msal.getToken(ctx.sim.tenantId, MEGAN_ID), 'TOKEN_UNAVAILABLE');
  });

  it('authenticates with a certificate instead of a client secret', async () => {
    const certificate = await generateSelfSignedCertificate({ commonName: 'bot', validDays: 2 });
    registerTestApp(ctx.sim, [certificate.certificatePem]);
    const withCertificate = msalSignInFor(ctx.sim, fixture.store, ctx.storeKeys, {
      credential: {
        kind: 'certificate',
        thumbprint: '',
        privateKeyPem: certificate.privateKeyPem,
        certificatePem: certificate.certificatePem,
      },
    });
    consent(ctx.sim, ALEX_ID);
    await withCertificate.onBehalfOf(await ssoTokenFor(ctx.sim, ALEX_ID));
    assert.equal(
      await ctx.presenceStatus(await withCertificate.getToken(ctx.sim.tenantId, ALEX_ID)),
      200,
    );
  });

  it('answers SIGN_IN_FAILED for an SSO token Entra refuses (meant for another app)', async () => {
    consent(ctx.sim, ALEX_ID);
    const forAnotherApp = await ctx.sim.authority.issueSsoToken({
      userId: ALEX_ID,
      botAppId: 'b5c0ffee-0000-4000-8000-000000000000',
    });
    await expectAppError(ctx.msal.onBehalfOf(forAnotherApp), 'SIGN_IN_FAILED');
  });

  it('answers ENTRA_UNAVAILABLE, not "sign in again", when Entra cannot be reached', async () => {
    await ctx.signInAlex();
    await ctx.sim.entra.stop();
    ctx.passTime(TWO_HOURS_MS);
    await expectAppError(ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID), 'ENTRA_UNAVAILABLE');
  });
});
