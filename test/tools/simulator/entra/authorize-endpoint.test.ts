import assert from 'node:assert/strict';
import https from 'node:https';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import {
  acceptConsent,
  authorizeEndpointOf,
  entraRequest,
  registerTestApp,
  ssoTokenFor,
  TEST_REDIRECT_URI,
} from '../../../helpers/simulated-entra';
import {
  ALEX_ID,
  startTestSimulator,
  TEST_APP_ID,
} from '../../../helpers/tenant-simulator-harness';

function authorizeUrl(
  sim: RunningSimulator,
  overrides: Record<string, string | undefined> = {},
): string {
  const params: Record<string, string | undefined> = {
    client_id: TEST_APP_ID,
    response_type: 'code',
    redirect_uri: TEST_REDIRECT_URI,
    scope: 'https://graph.microsoft.com/Presence.Read.All openid offline_access',
    state: 'state-42',
    login_hint: ALEX_ID,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...overrides,
  };
  const defined = Object.entries(params).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return `${authorizeEndpointOf(sim)}?${new URLSearchParams(defined).toString()}`;
}

describe('simulated Entra: authorization endpoint, metadata and TLS', () => {
  let sim: RunningSimulator;

  beforeEach(async () => {
    sim = await startTestSimulator();
    registerTestApp(sim);
  });

  afterEach(() => sim.stop());

  it('shows its own error page, never a redirect, for a redirect URI the app did not register', async () => {
    const answer = await entraRequest(
      sim,
      'GET',
      authorizeUrl(sim, { redirect_uri: 'https://attacker.example.test/cb' }),
    );
    assert.equal(answer.status, 400);
    assert.equal(answer.location, undefined);
    assert.match(answer.text, /AADSTS50011/);
  });

  it('shows its own error page for an unknown app', async () => {
    const answer = await entraRequest(
      sim,
      'GET',
      authorizeUrl(sim, { client_id: 'b5c0ffee-0000-4000-8000-000000000000' }),
    );
    assert.equal(answer.status, 400);
    assert.match(answer.text, /AADSTS700016/);
  });

  it('requires PKCE with S256, answering the registered redirect URI with the state', async () => {
    for (const overrides of [{ code_challenge: undefined }, { code_challenge_method: 'plain' }]) {
      const answer = await entraRequest(sim, 'GET', authorizeUrl(sim, overrides));
      assert.equal(answer.status, 302);
      const location = new URL(answer.location ?? '');
      assert.equal(`${location.origin}${location.pathname}`, TEST_REDIRECT_URI);
      assert.equal(location.searchParams.get('error'), 'invalid_request');
      assert.equal(location.searchParams.get('state'), 'state-42');
    }
  });

  it('asks which account signs in when there is no login_hint, each choice leading to the consent page', async () => {
    const picker = await entraRequest(sim, 'GET', authorizeUrl(sim, { login_hint: undefined }));
    assert.equal(picker.status, 200);
    assert.match(picker.text, /Pick an account/);
    const choice = /href="([^"]*login_hint=[^"]*)"/.exec(picker.text)?.[1] ?? '';
    const chosen = new URL(choice.replace(/&amp;/g, '&'), authorizeUrl(sim));
    assert.equal(chosen.searchParams.get('state'), 'state-42');
    const consent = await entraRequest(sim, 'GET', chosen.toString());
    assert.equal(consent.status, 200);
    assert.match(consent.text, /id="accept"/);
  });

  it('redirects with a code and the state on Accept, and with access_denied on Cancel', async () => {
    const accepted = await acceptConsent(sim, authorizeUrl(sim));
    assert.ok(accepted.searchParams.get('code'));
    assert.equal(accepted.searchParams.get('state'), 'state-42');
    const page = await entraRequest(sim, 'GET', authorizeUrl(sim));
    const cancel = /formaction="([^"]*decision=cancel[^"]*)"/.exec(page.text)?.[1] ?? '';
    const cancelled = await entraRequest(
      sim,
      'POST',
      new URL(cancel.replace(/&amp;/g, '&'), authorizeUrl(sim)).toString(),
    );
    const location = new URL(cancelled.location ?? '');
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('code'), null);
  });

  it('serves the OpenID configuration and keys that verify the SSO tokens it issues', async () => {
    const configuration = JSON.parse(
      (
        await entraRequest(
          sim,
          'GET',
          `${sim.entra.authorityUrl}/v2.0/.well-known/openid-configuration`,
        )
      ).text,
    ) as Record<string, string>;
    assert.equal(configuration.token_endpoint, `${sim.entra.authorityUrl}/oauth2/v2.0/token`);
    assert.equal(
      configuration.authorization_endpoint,
      `${sim.url}/${sim.tenantId}/oauth2/v2.0/authorize`,
      'the browser leg is on the plain-HTTP loopback listener: no browser trusts the local CA',
    );
    assert.match(configuration.authorization_endpoint ?? '', /^http:\/\/127\.0\.0\.1:\d+\//);
    const keys = JSON.parse(
      (await entraRequest(sim, 'GET', configuration.jwks_uri ?? '')).text,
    ) as Parameters<typeof createLocalJWKSet>[0];
    const { payload } = await jwtVerify(await ssoTokenFor(sim, ALEX_ID), createLocalJWKSet(keys), {
      audience: `api://botid-${TEST_APP_ID}`,
      issuer: `https://sts.windows.net/${sim.tenantId}/`,
    });
    assert.equal(payload.oid, ALEX_ID);
  });

  it('serves TLS that a client without the local CA refuses', async () => {
    const refusal = await new Promise<string>((resolve) => {
      https
        .get(`${sim.entra.authorityUrl}/v2.0/.well-known/openid-configuration`, () =>
          resolve('accepted'),
        )
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    assert.equal(refusal, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
