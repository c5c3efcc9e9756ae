import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import {
  acceptConsent,
  authorizeEndpointOf,
  consent,
  entraRequest,
  registerTestApp,
  ssoTokenFor,
  TEST_CLIENT_SECRET,
  TEST_REDIRECT_URI,
  type EntraAnswer,
} from '../../../helpers/simulated-entra';
import {
  ALEX_ID,
  startTestSimulator,
  TEST_APP_ID,
} from '../../../helpers/tenant-simulator-harness';
import { createTempDirectory } from '../../../helpers/temp-files';

const GRAPH_SCOPES = 'https://graph.microsoft.com/Presence.Read.All openid profile offline_access';

function tokenRequest(sim: RunningSimulator, form: Record<string, string>): Promise<EntraAnswer> {
  return entraRequest(sim, 'POST', `${sim.entra.authorityUrl}/oauth2/v2.0/token`, {
    client_id: TEST_APP_ID,
    client_secret: TEST_CLIENT_SECRET,
    ...form,
  });
}

function oboRequest(sim: RunningSimulator, assertion: string): Promise<EntraAnswer> {
  return tokenRequest(sim, {
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    requested_token_use: 'on_behalf_of',
    assertion,
    scope: GRAPH_SCOPES,
  });
}

function assertRefused(
  answer: EntraAnswer,
  status: number,
  error: string,
  aadsts: number,
): Record<string, unknown> {
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  assert.equal(answer.status, status, answer.text);
  assert.equal(body.error, error);
  assert.deepEqual(body.error_codes, [aadsts]);
  assert.match(String(body.error_description), new RegExp(`^AADSTS${aadsts}: `));
  assert.equal(body.access_token, undefined);
  return body;
}

async function authorizationCode(sim: RunningSimulator, verifier: string): Promise<string> {
  const url = new URL(authorizeEndpointOf(sim));
  url.search = new URLSearchParams({
    client_id: TEST_APP_ID,
    response_type: 'code',
    redirect_uri: TEST_REDIRECT_URI,
    scope: GRAPH_SCOPES,
    state: 's',
    login_hint: ALEX_ID,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return (await acceptConsent(sim, url.toString())).searchParams.get('code') ?? '';
}

describe('simulated Entra: token endpoint refusals', () => {
  let sim: RunningSimulator;

  beforeEach(async () => {
    sim = await startTestSimulator();
    registerTestApp(sim);
  });

  afterEach(() => sim.stop());

  it('refuses a wrong client secret (401 invalid_client) and a request with no credential', async () => {
    const sso = await ssoTokenFor(sim, ALEX_ID);
    const form = {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion: sso,
      scope: GRAPH_SCOPES,
    };
    assertRefused(
      await tokenRequest(sim, { ...form, client_secret: 'wrong' }),
      401,
      'invalid_client',
      7000215,
    );
    const noCredential = await entraRequest(
      sim,
      'POST',
      `${sim.entra.authorityUrl}/oauth2/v2.0/token`,
      { ...form, client_id: TEST_APP_ID },
    );
    assertRefused(noCredential, 401, 'invalid_client', 7000218);
    assertRefused(
      await tokenRequest(sim, { ...form, client_id: 'b5c0ffee-0000-4000-8000-000000000000' }),
      400,
      'unauthorized_client',
      700016,
    );
  });

  it('refuses a code redeemed with the wrong PKCE verifier, and a code used twice', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await authorizationCode(sim, verifier);
    const redeem = (codeVerifier: string) =>
      tokenRequest(sim, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: TEST_REDIRECT_URI,
        code_verifier: codeVerifier,
        scope: GRAPH_SCOPES,
      });
    assertRefused(
      await redeem(randomBytes(32).toString('base64url')),
      400,
      'invalid_grant',
      501481,
    );
    const second = await authorizationCode(sim, verifier);
    const ok = await tokenRequest(sim, {
      grant_type: 'authorization_code',
      code: second,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: verifier,
      scope: GRAPH_SCOPES,
    });
    assert.equal(ok.status, 200, ok.text);
    const again = await tokenRequest(sim, {
      grant_type: 'authorization_code',
      code: second,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: verifier,
      scope: GRAPH_SCOPES,
    });
    assertRefused(again, 400, 'invalid_grant', 70008);
  });

  it('refuses a code redeemed with another redirect URI', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await authorizationCode(sim, verifier);
    const answer = await tokenRequest(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://elsewhere.example.test/cb',
      code_verifier: verifier,
      scope: GRAPH_SCOPES,
    });
    assertRefused(answer, 400, 'invalid_grant', 70000);
  });

  it('refuses an on-behalf-of assertion meant for another app', async () => {
    consent(sim, ALEX_ID);
    const forAnotherBot = await sim.authority.issueSsoToken({
      userId: ALEX_ID,
      botAppId: 'b5c0ffee-0000-4000-8000-000000000000',
    });
    assertRefused(await oboRequest(sim, forAnotherBot), 400, 'invalid_grant', 500131);
  });

  it('refuses an on-behalf-of assertion from another tenant', async () => {
    consent(sim, ALEX_ID);
    const directory = await createTempDirectory();
    const seed = {
      tenantId: '3f1c9b7e-2a4d-4c8e-9b6f-1d2e3f4a5b6c',
      users: [
        {
          id: 'a0000000-0000-4000-8000-000000000001',
          displayName: 'Ada',
          mail: 'ada@contoso.test',
        },
      ],
    };
    const other = await startTestSimulator({
      seedFile: await directory.write('seed.json', JSON.stringify(seed)),
    });
    try {
      const foreign = await other.authority.issueSsoToken({
        userId: 'a0000000-0000-4000-8000-000000000001',
        botAppId: TEST_APP_ID,
      });
      assertRefused(await oboRequest(sim, foreign), 400, 'invalid_grant', 50013);
    } finally {
      await other.stop();
      await directory.remove();
    }
  });

  it('refuses an expired on-behalf-of assertion', async () => {
    consent(sim, ALEX_ID);
    const sso = await ssoTokenFor(sim, ALEX_ID);
    sim.clock.advance(2 * 60 * 60 * 1000);
    assertRefused(await oboRequest(sim, sso), 400, 'invalid_grant', 500133);
  });

  it('answers consent_required (AADSTS65001) until the user consents', async () => {
    const sso = await ssoTokenFor(sim, ALEX_ID);
    const body = assertRefused(await oboRequest(sim, sso), 400, 'invalid_grant', 65001);
    assert.equal(body.suberror, 'consent_required');
    sim.authority.recordConsent({
      userId: ALEX_ID,
      tenantId: sim.tenantId,
      appId: TEST_APP_ID,
      scopes: ['User.ReadBasic.All'],
    });
    const narrower = assertRefused(await oboRequest(sim, sso), 400, 'invalid_grant', 65001);
    assert.equal(
      narrower.suberror,
      'consent_required',
      'consent to other scopes does not cover these',
    );
    consent(sim, ALEX_ID);
    const granted = JSON.parse((await oboRequest(sim, sso)).text) as Record<string, unknown>;
    assert.equal(typeof granted.access_token, 'string');
    assert.equal(typeof granted.refresh_token, 'string');
    assert.equal(typeof granted.id_token, 'string');
  });

  it('rotates refresh tokens: each is good once, and revoked sessions end them all', async () => {
    consent(sim, ALEX_ID);
    const first = JSON.parse((await oboRequest(sim, await ssoTokenFor(sim, ALEX_ID))).text) as {
      refresh_token: string;
    };
    const refresh = (token: string) =>
      tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: token, scope: GRAPH_SCOPES });
    const second = JSON.parse((await refresh(first.refresh_token)).text) as {
      refresh_token: string;
    };
    assert.notEqual(second.refresh_token, first.refresh_token);
    assertRefused(await refresh(first.refresh_token), 400, 'invalid_grant', 70000);
    sim.authority.revokeRefreshTokens(ALEX_ID);
    assertRefused(await refresh(second.refresh_token), 400, 'invalid_grant', 70000);
  });

  it('refuses another tenant in the path and an unsupported grant type', async () => {
    const wrongTenant = await entraRequest(
      sim,
      'POST',
      `${sim.entra.url}/3f1c9b7e-2a4d-4c8e-9b6f-1d2e3f4a5b6c/oauth2/v2.0/token`,
      { grant_type: 'client_credentials' },
    );
    assertRefused(wrongTenant, 400, 'invalid_request', 90002);
    assertRefused(
      await tokenRequest(sim, { grant_type: 'password' }),
      400,
      'unsupported_grant_type',
      70003,
    );
  });
});
