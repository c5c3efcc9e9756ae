import { strict as assert } from 'node:assert';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  createAccessTokenAuthority,
  SimulatorAuthError,
  type AccessTokenAuthority,
} from '../../../../tools/simulator/identity';

const TENANT = '00000000-0000-0000-0000-0000000000001';
const APP = '00000000-0000-0000-0000-00000000000011';
const USER = '00000000-0000-0000-0000-0000000000020';
const SCOPES = ['Presence.Read.All', 'User.ReadBasic.All'];

async function assertInvalidToken(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SimulatorAuthError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'InvalidAuthenticationToken');
    assert.match(error.message, message);
    assert.deepEqual(error.toErrorBody(), {
      error: { code: 'InvalidAuthenticationToken', message: error.message },
    });
    return true;
  });
}

describe('access token authority', () => {
  let clock: number;
  let authority: AccessTokenAuthority;
  const issueForUser = (lifetimeSeconds?: number) =>
    authority.issue({
      userId: USER,
      tenantId: TENANT,
      appId: APP,
      scopes: SCOPES,
      lifetimeSeconds,
    });

  beforeEach(() => {
    clock = Date.parse('2025-01-06T09:00:00Z');
    authority = createAccessTokenAuthority({ now: () => clock, tenantId: TENANT });
  });

  it('issues RS256 Graph tokens with v1 delegated claims and a 60 to 90 minute life', async () => {
    const issued = await issueForUser();
    const claims = decodeJwt(issued.accessToken);
    assert.equal(decodeProtectedHeader(issued.accessToken).alg, 'RS256');
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.iss, `https://sts.windows.net/${TENANT}/`);
    assert.equal(claims.oid, USER);
    assert.equal(claims.tid, TENANT);
    assert.equal(claims.appid, APP);
    assert.equal(claims.scp, 'Presence.Read.All User.ReadBasic.All');
    assert.equal(claims.iat, clock / 1000);
    assert.equal(claims.nbf, clock / 1000);
    const lifetime = Number(claims.exp) - clock / 1000;
    assert.ok(lifetime >= 3600 && lifetime <= 5400, `lifetime ${lifetime}`);
    assert.equal(issued.expiresAt, Number(claims.exp) * 1000);
  });

  it('verifies its own tokens and reports who holds them', async () => {
    const issued = await issueForUser(3600);
    assert.deepEqual(await authority.verify(issued.accessToken), {
      userId: USER,
      tenantId: TENANT,
      appId: APP,
      scopes: SCOPES,
      audience: 'https://graph.microsoft.com',
      expiresAt: clock + 3600 * 1000,
    });
  });

  it('rejects garbage, a foreign signature and a wrong audience with Graph 401s', async () => {
    await assertInvalidToken(authority.verify('not-a-token'), /CompactToken parsing failed/);
    const stranger = createAccessTokenAuthority({ now: () => clock, tenantId: TENANT });
    const forged = await stranger.issue({
      userId: USER,
      tenantId: TENANT,
      appId: APP,
      scopes: SCOPES,
    });
    await assertInvalidToken(authority.verify(forged.accessToken), /Invalid signature/);
    const sso = await authority.issueSsoToken({ userId: USER, botAppId: APP });
    await assertInvalidToken(authority.verify(sso), /Invalid audience/);
    assert.equal((await authority.verify(sso, { audience: `api://botid-${APP}` })).userId, USER);
  });

  it('judges expiry by the injected clock', async () => {
    const issued = await issueForUser(3600);
    clock += 3599 * 1000;
    await authority.verify(issued.accessToken);
    clock += 2000;
    await assertInvalidToken(authority.verify(issued.accessToken), /expired/);
  });

  it('refreshes with a refresh token once, giving a new token pair', async () => {
    const issued = await issueForUser(3600);
    clock += 2 * 60 * 60 * 1000;
    const refreshed = await authority.refresh(issued.refreshToken);
    assert.notEqual(refreshed.accessToken, issued.accessToken);
    assert.notEqual(refreshed.refreshToken, issued.refreshToken);
    assert.deepEqual(refreshed.scopes, SCOPES);
    assert.equal((await authority.verify(refreshed.accessToken)).userId, USER);
    await assert.rejects(authority.refresh(issued.refreshToken), {
      status: 400,
      code: 'invalid_grant',
    });
    await assert.rejects(authority.refresh('made-up'), { status: 400, code: 'invalid_grant' });
  });

  it('revokeConsent kills access tokens, refresh tokens and the consent', async () => {
    const issued = await issueForUser();
    assert.deepEqual(
      authority.consentedUsers().map((record) => [record.userId, record.appId, record.scopes]),
      [[USER, APP, SCOPES]],
    );
    assert.equal(authority.revokeConsent(USER), true);
    await assertInvalidToken(authority.verify(issued.accessToken), /revoked/);
    await assert.rejects(authority.refresh(issued.refreshToken), { code: 'invalid_grant' });
    assert.deepEqual(authority.consentedUsers(), []);
    assert.equal(authority.hasConsent(USER, APP), false);
    assert.equal(authority.revokeConsent(USER), false);
  });

  it('tells revocation listeners', async () => {
    const revoked: string[] = [];
    authority.onConsentRevoked((userId) => revoked.push(userId));
    await issueForUser();
    authority.revokeConsent(USER);
    assert.deepEqual(revoked, [USER]);
  });

  it('expireTokensNow expires live access tokens but leaves refresh working', async () => {
    const issued = await issueForUser();
    assert.equal(authority.expireTokensNow(USER), 1);
    await assertInvalidToken(authority.verify(issued.accessToken), /expired/);
    const refreshed = await authority.refresh(issued.refreshToken);
    assert.equal((await authority.verify(refreshed.accessToken)).userId, USER);
  });

  it('publishes a JWKS with the public key only', async () => {
    const { keys } = await authority.jwks();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]?.kty, 'RSA');
    assert.equal(keys[0]?.d, undefined);
    const issued = await issueForUser();
    assert.equal(decodeProtectedHeader(issued.accessToken).kid, keys[0]?.kid);
  });
});
