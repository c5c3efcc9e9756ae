import { strict as assert } from 'node:assert';
import type { UserTokenClient } from 'botframework-connector';
import {
  acceptSignIn,
  ALEX,
  BOT_APP_ID,
  CONNECTION,
  messageFrom,
  startIdentityServer,
  TENANT_ID,
  type IdentityTestServer,
} from './identity-test-server';

for (const parsers of [true, false]) {
  describe(`simulator identity admin API and error bodies (${parsers ? 'with' : 'without'} body parser)`, () => {
    let sim: IdentityTestServer;
    let client: UserTokenClient;

    beforeEach(async () => {
      sim = await startIdentityServer({ parsers });
      client = await sim.userTokenClient();
    });
    afterEach(() => sim.close());

    async function signInAlex(): Promise<string> {
      const resource = await client.getSignInResource(CONNECTION, messageFrom(), '');
      const code = await acceptSignIn(resource.signInLink ?? '');
      const token = await client.getUserToken('user-id-0', CONNECTION, 'msteams', code);
      assert.ok(token?.token);
      return token.token;
    }

    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${sim.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };

    it('lists consented users', async () => {
      await signInAlex();
      const { status, body } = await call('GET', '/_sim/identity/consents');
      assert.equal(status, 200);
      const value = (body as { value: Array<Record<string, unknown>> }).value;
      assert.equal(value.length, 1);
      assert.equal(value[0]?.userId, ALEX.id);
      assert.equal(value[0]?.displayName, ALEX.displayName);
      assert.equal(value[0]?.appId, BOT_APP_ID);
      assert.deepEqual(value[0]?.scopes, ['Presence.Read.All', 'User.ReadBasic.All']);
    });

    it('revokes consent by Playground id or object id; the token service then has no token', async () => {
      const token = await signInAlex();
      assert.equal((await call('DELETE', '/_sim/identity/consents/user-id-0')).status, 204);
      assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', ''), undefined);
      await assert.rejects(sim.authority.verify(token), { status: 401 });
      assert.deepEqual(await call('DELETE', `/_sim/identity/consents/${ALEX.id}`), {
        status: 404,
        body: { error: { code: 'NotFound', message: 'The user has no consent to revoke.' } },
      });
    });

    it('expires a user token now; the token service hands out a refreshed one', async () => {
      const token = await signInAlex();
      const expired = await call('POST', `/_sim/identity/users/${ALEX.id}/expire-tokens`);
      assert.deepEqual(expired, { status: 200, body: { userId: ALEX.id, expiredAccessTokens: 1 } });
      await assert.rejects(sim.authority.verify(token), {
        status: 401,
        code: 'InvalidAuthenticationToken',
      });
      const refreshed = await client.getUserToken('user-id-0', CONNECTION, 'msteams', '');
      assert.ok(refreshed?.token);
      assert.notEqual(refreshed.token, token);
      assert.equal((await sim.authority.verify(refreshed.token)).userId, ALEX.id);
    });

    it('issues SSO tokens and Graph tokens for tests', async () => {
      const sso = await call('POST', '/_sim/identity/sso-tokens', {
        userId: 'user-id-0',
        botAppId: BOT_APP_ID,
      });
      const ssoToken = (sso.body as { token: string }).token;
      assert.equal(
        (await sim.authority.verify(ssoToken, { audience: `api://botid-${BOT_APP_ID}` })).userId,
        ALEX.id,
      );
      const graph = await call('POST', `/_sim/identity/users/${ALEX.id}/tokens`, {
        appId: BOT_APP_ID,
      });
      const accessToken = (graph.body as { accessToken: string }).accessToken;
      assert.equal((await sim.authority.verify(accessToken)).appId, BOT_APP_ID);
      assert.equal(sim.authority.hasConsent(ALEX.id, BOT_APP_ID), true);
      assert.equal(
        (await call('POST', '/_sim/identity/sso-tokens', { userId: 'nobody' })).status,
        400,
      );
    });

    it('answers token service argument errors with {error: {code, message}}', async () => {
      assert.deepEqual(await call('GET', `/api/usertoken/GetToken?connectionName=${CONNECTION}`), {
        status: 400,
        body: { error: { code: 'BadArgument', message: 'The userId parameter is required.' } },
      });
      assert.deepEqual(await call('GET', '/api/botsignin/GetSignInResource?state=bm9wZQ'), {
        status: 400,
        body: {
          error: { code: 'BadArgument', message: 'The state is not a token exchange state.' },
        },
      });
      const aad = await call(
        'POST',
        `/api/usertoken/GetAadTokens?userId=u&connectionName=${CONNECTION}`,
        {
          resourceUrls: ['https://graph.microsoft.com'],
        },
      );
      assert.deepEqual(aad, {
        status: 404,
        body: {
          error: { code: 'TokenNotFound', message: 'The user has no token for this connection.' },
        },
      });
    });

    it('answers GetToken without a token with an empty 404, as the Bot Service does', async () => {
      const response = await fetch(
        `${sim.url}/api/usertoken/GetToken?userId=u&connectionName=${CONNECTION}`,
      );
      assert.equal(response.status, 404);
      assert.equal(await response.text(), '');
    });

    it('serves GetSignInUrl as the sign-in link', async () => {
      const state = Buffer.from(
        JSON.stringify({
          connectionName: CONNECTION,
          msAppId: BOT_APP_ID,
          conversation: { user: { id: 'user-id-0' } },
        }),
      ).toString('base64');
      const response = await fetch(
        `${sim.url}/api/botsignin/GetSignInUrl?state=${encodeURIComponent(state)}`,
      );
      assert.equal(await response.text(), `${sim.url}/signin?state=${encodeURIComponent(state)}`);
    });

    it('redeems refresh tokens at the OAuth token endpoint', async () => {
      const graph = await call('POST', `/_sim/identity/users/${ALEX.id}/tokens`, {
        appId: BOT_APP_ID,
      });
      const refreshToken = (graph.body as { refreshToken: string }).refreshToken;
      const form = (grant: Record<string, string>) =>
        fetch(`${sim.url}/${TENANT_ID}/oauth2/v2.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(grant).toString(),
        });
      const ok = await form({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: BOT_APP_ID,
      });
      const tokens = (await ok.json()) as Record<string, unknown>;
      assert.equal(ok.status, 200);
      assert.equal(tokens.token_type, 'Bearer');
      assert.equal(tokens.scope, 'Presence.Read.All User.ReadBasic.All');
      assert.equal((await sim.authority.verify(String(tokens.access_token))).userId, ALEX.id);
      const reused = await form({ grant_type: 'refresh_token', refresh_token: refreshToken });
      assert.equal(reused.status, 400);
      assert.equal(((await reused.json()) as { error: string }).error, 'invalid_grant');
      const unsupported = await form({ grant_type: 'password' });
      assert.equal(
        ((await unsupported.json()) as { error: string }).error,
        'unsupported_grant_type',
      );
    });
  });
}
