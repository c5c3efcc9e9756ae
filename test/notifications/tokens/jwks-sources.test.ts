import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { localKeySet, remoteKeySet } from '../../../src/notifications/tokens/jwks-sources';
import { createValidationTokenVerifier } from '../../../src/notifications/tokens/validation-token-verifier';
import { silentLogger } from '../../../src/logging/logger';
import type { ValidationTokenIssuer } from '../../../tools/simulator/validation-token-issuer';
import { expectAppError } from '../../helpers/expect-app-error';
import { startJwksHttpServer, type JwksHttpServer } from '../../helpers/jwks-http-server';
import { APP_ID, ISSUED_AT, newIssuer, TENANT_A } from '../../helpers/validation-token-test-kit';

describe('JWKS sources', () => {
  let issuer: ValidationTokenIssuer;
  let server: JwksHttpServer;

  beforeEach(async () => {
    issuer = await newIssuer();
    server = await startJwksHttpServer(() => issuer.jwks());
  });

  afterEach(async () => {
    await server.close();
  });

  const verifierWith = (keySet: JWTVerifyGetKey) =>
    createValidationTokenVerifier({
      keySet,
      audiences: [APP_ID],
      now: () => ISSUED_AT,
      logger: silentLogger(),
    });

  const issue = () => issuer.issue({ tenantId: TENANT_A, audience: APP_ID, now: ISSUED_AT });

  describe('remoteKeySet', () => {
    it('fetches the key set once and reuses it for tokens with a known kid', async () => {
      const verifier = verifierWith(remoteKeySet(server.url, { cooldownMs: 0 }));
      await verifier.verifyBatch([await issue()], [TENANT_A]);
      await verifier.verifyBatch([await issue()], [TENANT_A]);
      assert.equal(server.requestCount, 1);
    });

    it('refetches the key set when a token names a kid it has not seen (key rotation)', async () => {
      const verifier = verifierWith(remoteKeySet(server.url, { cooldownMs: 0 }));
      await verifier.verifyBatch([await issue()], [TENANT_A]);
      await issuer.rotate();
      await verifier.verifyBatch([await issue()], [TENANT_A]);
      assert.equal(server.requestCount, 2);
    });

    it('rejects as invalid a kid still unknown after a refetch', async () => {
      const verifier = verifierWith(remoteKeySet(server.url, { cooldownMs: 0 }));
      await verifier.verifyBatch([await issue()], [TENANT_A]);
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ tid: TENANT_A })
        .setProtectedHeader({ alg: 'RS256', kid: 'never-published' })
        .sign(privateKey);
      await expectAppError(verifier.verifyBatch([forged], [TENANT_A]), 'VALIDATION_TOKEN_INVALID');
      assert.equal(server.requestCount, 2);
    });

    it('rejects for good a kid unknown to a key set fetched within the cooldown, without refetching', async () => {
      const verifier = verifierWith(remoteKeySet(server.url, { cooldownMs: 600_000 }));
      await verifier.verifyBatch([await issue()], [TENANT_A]);
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ tid: TENANT_A })
        .setProtectedHeader({ alg: 'RS256', kid: 'never-published' })
        .sign(privateKey);
      for (let i = 0; i < 20; i += 1) {
        await expectAppError(
          verifier.verifyBatch([forged], [TENANT_A]),
          'VALIDATION_TOKEN_INVALID',
        );
      }
      assert.equal(server.requestCount, 1);
    });

    it('reports JWKS_UNAVAILABLE when the key server is down', async () => {
      const url = server.url;
      await server.close();
      const verifier = verifierWith(remoteKeySet(url));
      await expectAppError(verifier.verifyBatch([await issue()], [TENANT_A]), 'JWKS_UNAVAILABLE');
      server = await startJwksHttpServer(() => issuer.jwks());
    });

    it('reports JWKS_UNAVAILABLE when the key server answers with an error status', async () => {
      server.failWith(503);
      const verifier = verifierWith(remoteKeySet(server.url));
      await expectAppError(verifier.verifyBatch([await issue()], [TENANT_A]), 'JWKS_UNAVAILABLE');
      assert.equal(server.requestCount, 1);
    });

    it('recovers once the key server is back', async () => {
      server.failWith(503);
      const verifier = verifierWith(remoteKeySet(server.url));
      const token = await issue();
      await expectAppError(verifier.verifyBatch([token], [TENANT_A]), 'JWKS_UNAVAILABLE');
      server.failWith(undefined);
      await verifier.verifyBatch([token], [TENANT_A]);
      assert.equal(server.requestCount, 2);
    });
  });

  describe('localKeySet', () => {
    it('verifies tokens against a JWKS document', async () => {
      const verifier = verifierWith(localKeySet(issuer.jwks()));
      await verifier.verifyBatch([await issue()], [TENANT_A]);
    });

    it('rejects a document that is not a key set', () => {
      assert.throws(
        () => localKeySet({ keys: 'nope' }),
        (error: unknown) => (error as { code?: string }).code === 'JWKS_UNAVAILABLE',
      );
    });

    it('rejects tokens signed with a key the document does not list', async () => {
      const verifier = verifierWith(localKeySet(issuer.jwks()));
      await issuer.rotate();
      await expectAppError(
        verifier.verifyBatch([await issue()], [TENANT_A]),
        'VALIDATION_TOKEN_INVALID',
      );
    });
  });
});
