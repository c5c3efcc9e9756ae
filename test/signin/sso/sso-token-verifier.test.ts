import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { isAppError } from '../../../src/errors/app-error';
import { remoteKeySet } from '../../../src/notifications/tokens/jwks-sources';
import {
  createSsoTokenVerifier,
  type SsoTokenVerifier,
} from '../../../src/signin/sso/sso-token-verifier';
import { startJwksHttpServer, type JwksHttpServer } from '../../helpers/jwks-http-server';

const TENANT = '11111111-1111-1111-1111-111111111111';
const USER = '22222222-2222-2222-2222-222222222222';
const BOT_ID = '33333333-3333-3333-3333-333333333333';
const NOW = Date.parse('2026-12-04T12:00:00Z');
const SUBJECT = { tenantId: TENANT, aadObjectId: USER };

interface TokenOptions {
  claims?: Record<string, unknown>;
  key?: CryptoKey;
  expiresAt?: number;
}

describe('SSO token verifier', () => {
  let entraKey: CryptoKey;
  let otherKey: CryptoKey;
  let jwks: JwksHttpServer;
  let verifier: SsoTokenVerifier;

  before(async () => {
    const entra = await generateKeyPair('RS256');
    entraKey = entra.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(entra.publicKey)), kid: 'entra-1', alg: 'RS256', use: 'sig' };
    jwks = await startJwksHttpServer(() => ({ keys: [jwk] }));
    verifier = createSsoTokenVerifier({
      keySet: remoteKeySet(jwks.url),
      audiences: [`api://botid-${BOT_ID}`, BOT_ID],
      authorityHost: 'https://127.0.0.1:7443',
      now: () => NOW,
    });
  });

  after(() => jwks.close());

  function token(options: TokenOptions = {}): Promise<string> {
    return new SignJWT({
      aud: BOT_ID,
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      tid: TENANT,
      oid: USER,
      scp: 'access_as_user',
      ...options.claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra-1', typ: 'JWT' })
      .setIssuedAt(Math.floor(NOW / 1000) - 60)
      .setExpirationTime(Math.floor((options.expiresAt ?? NOW + 3_600_000) / 1000))
      .sign(options.key ?? entraKey);
  }

  async function refusal(tokenText: Promise<string>): Promise<string> {
    try {
      await verifier.verify(await tokenText, SUBJECT);
    } catch (error) {
      assert.ok(isAppError(error), String(error));
      assert.ok(!error.message.includes(await tokenText));
      return error.code;
    }
    assert.fail('the token was accepted');
  }

  it('accepts the user’s own token for the bot from Entra v2, v1 and the configured host', async () => {
    await verifier.verify(await token(), SUBJECT);
    await verifier.verify(
      await token({
        claims: { aud: `api://botid-${BOT_ID}`, iss: `https://sts.windows.net/${TENANT}/` },
      }),
      { tenantId: TENANT.toUpperCase(), aadObjectId: USER.toUpperCase() },
    );
    await verifier.verify(
      await token({ claims: { iss: `https://127.0.0.1:7443/${TENANT}/v2.0` } }),
      SUBJECT,
    );
  });

  it('refuses a token for another audience', async () => {
    assert.equal(
      await refusal(token({ claims: { aud: 'https://graph.microsoft.com' } })),
      'SSO_TOKEN_AUDIENCE_INVALID',
    );
  });

  it('refuses a token of another tenant, also one whose issuer names the activity’s tenant', async () => {
    const otherTenant = '44444444-4444-4444-4444-444444444444';
    assert.equal(
      await refusal(
        token({
          claims: {
            tid: otherTenant,
            iss: `https://login.microsoftonline.com/${otherTenant}/v2.0`,
          },
        }),
      ),
      'SSO_TOKEN_TENANT_MISMATCH',
    );
    assert.equal(
      await refusal(token({ claims: { iss: 'https://login.microsoftonline.com/common/v2.0' } })),
      'SSO_TOKEN_ISSUER_INVALID',
    );
  });

  it('refuses another user’s token, and one when the activity names no user', async () => {
    assert.equal(
      await refusal(token({ claims: { oid: '55555555-5555-5555-5555-555555555555' } })),
      'SSO_TOKEN_USER_MISMATCH',
    );
    await assert.rejects(
      verifier.verify(await token(), { tenantId: TENANT, aadObjectId: undefined }),
      {
        code: 'SSO_TOKEN_USER_MISMATCH',
      },
    );
  });

  it('refuses an expired token', async () => {
    assert.equal(await refusal(token({ expiresAt: NOW - 5 * 60_000 })), 'SSO_TOKEN_INVALID');
  });

  it('refuses a token signed by another key under Entra’s key id, and garbage', async () => {
    assert.equal(await refusal(token({ key: otherKey })), 'SSO_TOKEN_INVALID');
    assert.equal(await refusal(Promise.resolve('not.a.jwt')), 'SSO_TOKEN_INVALID');
  });
});
