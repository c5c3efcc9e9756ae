import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import { entraRequest, ssoTokenFor } from '../../../helpers/simulated-entra';
import {
  ALEX_ID,
  startTestSimulator,
  TEST_APP_ID,
} from '../../../helpers/tenant-simulator-harness';

async function admin(
  sim: RunningSimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('simulated Entra: admin API', () => {
  let sim: RunningSimulator;

  beforeEach(async () => {
    sim = await startTestSimulator();
  });

  afterEach(() => sim.stop());

  it('registers an app, records consent and revokes sessions, as the token endpoint then shows', async () => {
    const registered = await admin(sim, 'PUT', `/_sim/identity/apps/${TEST_APP_ID}`, {
      clientSecrets: ['s3cret'],
      redirectUris: ['https://bot.example.test/cb'],
    });
    assert.equal(registered.status, 200);
    const obo = async (): Promise<Record<string, unknown>> =>
      JSON.parse(
        (
          await entraRequest(sim, 'POST', `${sim.entra.authorityUrl}/oauth2/v2.0/token`, {
            client_id: TEST_APP_ID,
            client_secret: 's3cret',
            grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
            requested_token_use: 'on_behalf_of',
            assertion: await ssoTokenFor(sim, ALEX_ID),
            scope: 'https://graph.microsoft.com/Presence.Read.All offline_access',
          })
        ).text,
      ) as Record<string, unknown>;
    assert.equal((await obo()).suberror, 'consent_required');
    const consented = await admin(sim, 'POST', '/_sim/identity/consents', {
      userId: 'user-id-0',
      appId: TEST_APP_ID,
    });
    assert.equal(consented.status, 201);
    const { refresh_token: refreshToken } = (await obo()) as { refresh_token: string };
    assert.equal(
      (await admin(sim, 'POST', '/_sim/identity/users/user-id-0/revoke-sessions')).status,
      204,
    );
    const refreshed = await entraRequest(
      sim,
      'POST',
      `${sim.entra.authorityUrl}/oauth2/v2.0/token`,
      {
        client_id: TEST_APP_ID,
        client_secret: 's3cret',
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      },
    );
    assert.equal(JSON.parse(refreshed.text).error, 'invalid_grant');
  });

  it('serves the CA certificate and names the authority in /_sim/info', async () => {
    assert.equal(
      await (await admin(sim, 'GET', '/_sim/identity/ca.pem')).text(),
      sim.entra.caCertificatePem,
    );
    const info = (await (await admin(sim, 'GET', '/_sim/info')).json()) as {
      entraAuthority: string;
    };
    assert.equal(info.entraAuthority, sim.entra.authorityUrl);
  });

  it('refuses consent for an unknown user and revocation for an unknown user', async () => {
    assert.equal(
      (
        await admin(sim, 'POST', '/_sim/identity/consents', {
          userId: 'nobody',
          appId: TEST_APP_ID,
        })
      ).status,
      400,
    );
    assert.equal(
      (await admin(sim, 'POST', '/_sim/identity/users/nobody/revoke-sessions')).status,
      404,
    );
  });
});
