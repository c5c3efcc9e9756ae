import { strict as assert } from 'node:assert';
import type { UserTokenClient } from 'botframework-connector';
import { decodeJwt } from 'jose';
import { SimulatorAuthError } from '../../../../tools/simulator/identity';
import {
  acceptSignIn,
  ALEX,
  BOT_APP_ID,
  CONNECTION,
  messageFrom,
  startIdentityServer,
  type IdentityTestServer,
} from './identity-test-server';

const HOUR = 60 * 60 * 1000;

async function signInAlex(client: UserTokenClient): Promise<string> {
  const resource = await client.getSignInResource(CONNECTION, messageFrom(), '');
  return acceptSignIn(resource.signInLink ?? '');
}

async function rejectsWith401(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SimulatorAuthError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'InvalidAuthenticationToken');
    return true;
  });
}

describe('simulator token service (botbuilder UserTokenClient against it)', () => {
  let sim: IdentityTestServer;
  let client: UserTokenClient;

  beforeEach(async () => {
    sim = await startIdentityServer();
    client = await sim.userTokenClient();
  });
  afterEach(() => sim.close());

  it('gives no token before sign-in', async () => {
    assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', ''), undefined);
  });

  it('returns a sign-in resource whose link is the simulator sign-in page for this conversation', async () => {
    const resource = await client.getSignInResource(CONNECTION, messageFrom(), '');
    const link = new URL(resource.signInLink ?? '');
    assert.equal(link.origin, sim.url);
    assert.equal(link.pathname, '/signin');
    const state = JSON.parse(
      Buffer.from(link.searchParams.get('state') ?? '', 'base64').toString(),
    );
    assert.equal(state.connectionName, CONNECTION);
    assert.equal(state.conversation.user.id, 'user-id-0');
    assert.equal(resource.tokenExchangeResource?.uri, `api://botid-${BOT_APP_ID}`);
  });

  it('runs sign-in, magic code, refresh, revocation and sign-out end to end', async () => {
    const code = await signInAlex(client);
    assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', ''), undefined);

    const redeemed = await client.getUserToken('user-id-0', CONNECTION, 'msteams', code);
    assert.ok(redeemed?.token);
    assert.equal(redeemed.connectionName, CONNECTION);
    assert.equal(redeemed.channelId, 'msteams');
    assert.ok(Date.parse(redeemed.expiration ?? '') > sim.now() + 55 * 60 * 1000);

    const later = await client.getUserToken('user-id-0', CONNECTION, 'msteams', '');
    assert.equal(later?.token, redeemed.token);

    const verified = await sim.authority.verify(redeemed.token);
    assert.deepEqual(
      { userId: verified.userId, appId: verified.appId, scopes: verified.scopes },
      { userId: ALEX.id, appId: BOT_APP_ID, scopes: ['Presence.Read.All', 'User.ReadBasic.All'] },
    );

    sim.advanceClock(2 * HOUR);
    await rejectsWith401(sim.authority.verify(redeemed.token));
    const refreshed = await client.getUserToken('user-id-0', CONNECTION, 'msteams', '');
    assert.ok(refreshed?.token);
    assert.notEqual(refreshed.token, redeemed.token);
    assert.equal((await sim.authority.verify(refreshed.token)).userId, ALEX.id);

    assert.equal(sim.authority.revokeConsent(ALEX.id), true);
    assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', ''), undefined);
    await rejectsWith401(sim.authority.verify(refreshed.token));

    const again = await signInAlex(client);
    assert.ok((await client.getUserToken('user-id-0', CONNECTION, 'msteams', again))?.token);
    await client.signOutUser('user-id-0', CONNECTION, 'msteams');
    assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', ''), undefined);
  });

  it('refreshes a token that is near expiry, as the Bot Service token store does', async () => {
    const code = await signInAlex(client);
    const first = await client.getUserToken('user-id-0', CONNECTION, 'msteams', code);
    const expiresAt = Date.parse(first?.expiration ?? '');
    sim.advanceClock(expiresAt - sim.now() - 2 * 60 * 1000);
    const second = await client.getUserToken('user-id-0', CONNECTION, 'msteams', '');
    assert.ok(second?.token);
    assert.notEqual(second.token, first?.token);
    assert.ok(Date.parse(second.expiration ?? '') > expiresAt);
  });

  it('keeps serving refreshed tokens for weeks with the user absent', async () => {
    const code = await signInAlex(client);
    await client.getUserToken('user-id-0', CONNECTION, 'msteams', code);
    for (let hour = 0; hour < 24 * 21; hour += 1) {
      sim.advanceClock(HOUR);
      const token = await client.getUserToken('user-id-0', CONNECTION, 'msteams', '');
      assert.ok(token?.token, `no token after ${hour + 1} hours`);
    }
  });

  it('refuses a wrong magic code and accepts each code once', async () => {
    const code = await signInAlex(client);
    const wrong = code === '000000' ? '111111' : '000000';
    assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', wrong), undefined);
    assert.ok(await client.getUserToken('user-id-0', CONNECTION, 'msteams', code));
    await client.signOutUser('user-id-0', CONNECTION, 'msteams');
    assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', code), undefined);
  });

  it('refuses a magic code after five wrong attempts', async () => {
    const code = await signInAlex(client);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await client.getUserToken('user-id-0', CONNECTION, 'msteams', wrong);
    }
    assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', code), undefined);
  });

  it('refuses a magic code older than ten minutes', async () => {
    const code = await signInAlex(client);
    sim.advanceClock(11 * 60 * 1000);
    assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', code), undefined);
  });

  it('reports token status and AAD tokens for the Graph resource', async () => {
    const code = await signInAlex(client);
    assert.deepEqual(await client.getTokenStatus('user-id-0', 'msteams', ''), []);
    const token = await client.getUserToken('user-id-0', CONNECTION, 'msteams', code);
    const statuses = await client.getTokenStatus('user-id-0', 'msteams', '');
    assert.deepEqual(
      statuses.map((status) => [status.connectionName, status.hasToken]),
      [[CONNECTION, true]],
    );
    const aad = await client.getAadTokens(
      'user-id-0',
      CONNECTION,
      ['https://graph.microsoft.com'],
      'msteams',
    );
    assert.equal(aad['https://graph.microsoft.com']?.token, token?.token);
  });

  it('issues Graph-shaped claims', async () => {
    const code = await signInAlex(client);
    const token = await client.getUserToken('user-id-0', CONNECTION, 'msteams', code);
    const claims = decodeJwt(token?.token ?? '');
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.iss, 'https://sts.windows.net/00000000-0000-0000-0000-0000000000001/');
    assert.equal(claims.oid, ALEX.id);
    assert.equal(claims.appid, BOT_APP_ID);
    assert.equal(claims.scp, 'Presence.Read.All User.ReadBasic.All');
    assert.equal(claims.upn, ALEX.userPrincipalName);
  });
});
