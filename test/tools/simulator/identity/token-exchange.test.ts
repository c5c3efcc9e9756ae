import { strict as assert } from 'node:assert';
import type { UserTokenClient } from 'botframework-connector';
import {
  acceptSignIn,
  ALEX,
  BOT_APP_ID,
  CONNECTION,
  MEGAN,
  messageFrom,
  startIdentityServer,
  type IdentityTestServer,
} from './identity-test-server';

for (const parsers of [true, false]) {
  describe(`simulator token service: SSO token exchange (${parsers ? 'with' : 'without'} body parser)`, () => {
    let sim: IdentityTestServer;
    let client: UserTokenClient;

    beforeEach(async () => {
      sim = await startIdentityServer({ parsers });
      client = await sim.userTokenClient();
    });
    afterEach(() => sim.close());

    async function consentAsAlex(): Promise<void> {
      const resource = await client.getSignInResource(CONNECTION, messageFrom(), '');
      await acceptSignIn(resource.signInLink ?? '');
    }

    it('exchanges an SSO token of a consented user for a Graph token and stores it', async () => {
      await consentAsAlex();
      const sso = await sim.authority.issueSsoToken({ userId: ALEX.id, botAppId: BOT_APP_ID });
      const exchanged = await client.exchangeToken('user-id-0', CONNECTION, 'msteams', {
        token: sso,
      });
      assert.ok(exchanged.token);
      const verified = await sim.authority.verify(exchanged.token);
      assert.equal(verified.userId, ALEX.id);
      assert.equal(verified.appId, BOT_APP_ID);
      const stored = await client.getUserToken('user-id-0', CONNECTION, 'msteams', '');
      assert.equal(stored?.token, exchanged.token);
    });

    it('accepts a Graph token the authority issued for the user', async () => {
      await consentAsAlex();
      const graph = await sim.authority.issue({
        userId: ALEX.id,
        tenantId: sim.authority.tenantId,
        appId: BOT_APP_ID,
        scopes: ['Presence.Read.All'],
      });
      const exchanged = await client.exchangeToken('29:alex-teams-id', CONNECTION, 'msteams', {
        token: graph.accessToken,
      });
      assert.equal((await sim.authority.verify(exchanged.token ?? '')).userId, ALEX.id);
    });

    it('refuses before consent, so the bot falls back to the sign-in card', async () => {
      const sso = await sim.authority.issueSsoToken({ userId: ALEX.id, botAppId: BOT_APP_ID });
      const refused = await client.exchangeToken('user-id-0', CONNECTION, 'msteams', {
        token: sso,
      });
      assert.equal(refused.token, undefined);
      assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', ''), undefined);
    });

    async function exchangeRaw(
      userId: string,
      body: unknown,
    ): Promise<{ status: number; body: unknown }> {
      const url = `${sim.url}/api/usertoken/exchange?userId=${userId}&connectionName=${CONNECTION}&channelId=msteams`;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    }

    it('answers 400 with an error body for garbage, expired, foreign-user and missing tokens', async () => {
      await consentAsAlex();
      assert.deepEqual(await exchangeRaw('user-id-0', { token: 'garbage' }), {
        status: 400,
        body: {
          error: {
            code: 'InvalidToken',
            message: 'The token cannot be exchanged for this connection.',
          },
        },
      });
      const megans = await sim.authority.issueSsoToken({ userId: MEGAN.id, botAppId: BOT_APP_ID });
      const foreign = await exchangeRaw('user-id-0', { token: megans });
      assert.equal(foreign.status, 400);
      assert.deepEqual(foreign.body, {
        error: { code: 'InvalidToken', message: 'The token does not belong to this user.' },
      });
      const sso = await sim.authority.issueSsoToken({ userId: ALEX.id, botAppId: BOT_APP_ID });
      sim.advanceClock(2 * 60 * 60 * 1000);
      const expired = await exchangeRaw('user-id-0', { token: sso });
      assert.equal(expired.status, 400);
      assert.match(JSON.stringify(expired.body), /expired/);
      const missing = await exchangeRaw('user-id-0', { uri: 'api://x' });
      assert.deepEqual(missing, {
        status: 400,
        body: { error: { code: 'BadArgument', message: 'The exchange request carries no token.' } },
      });
    });
  });
}
