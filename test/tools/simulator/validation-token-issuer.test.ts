import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { GRAPH_CHANGE_TRACKING_APP_ID } from '../../../src/notifications/tokens/graph-token-claims';
import { createValidationTokenIssuer } from '../../../tools/simulator/validation-token-issuer';

const EXAMPLE_CLAIMS = path.join(
  __dirname,
  '..',
  '..',
  'fixtures',
  'validation-token-example-claims.json',
);
const TENANT = '84bd8158-6d4d-4958-8b9f-9d6445542f95';
const APP_ID = '8e460676-ae3f-4b1e-8790-ee0fb5d6148f';
const ISSUED_AT = new Date('2025-03-01T12:00:00Z');

describe('validation-token issuer (simulator)', () => {
  it('signs RS256 tokens shaped like Graph validation tokens', async () => {
    const issuer = await createValidationTokenIssuer({ keyId: 'kid-1' });
    const token = await issuer.issue({ tenantId: TENANT, audience: APP_ID, now: ISSUED_AT });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(issuer.jwks()), {
      currentDate: ISSUED_AT,
    });
    assert.deepEqual(protectedHeader, { alg: 'RS256', typ: 'JWT', kid: 'kid-1' });
    const issuedAt = ISSUED_AT.getTime() / 1000;
    assert.equal(payload.iss, `https://sts.windows.net/${TENANT}/`);
    assert.equal(payload['idp'], `https://sts.windows.net/${TENANT}/`);
    assert.equal(payload.aud, APP_ID);
    assert.equal(payload['appid'], GRAPH_CHANGE_TRACKING_APP_ID);
    assert.equal(payload['appidacr'], '2');
    assert.equal(payload['tid'], TENANT);
    assert.equal(payload['ver'], '1.0');
    assert.equal(payload.iat, issuedAt);
    assert.equal(payload.nbf, issuedAt);
    assert.equal(payload.exp, issuedAt + 24 * 3600);
    const example = JSON.parse(readFileSync(EXAMPLE_CLAIMS, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(payload).sort(), Object.keys(example).sort());
  });

  it('gives each token a different uti', async () => {
    const issuer = await createValidationTokenIssuer();
    const claims = { tenantId: TENANT, audience: APP_ID, now: ISSUED_AT };
    const utis = await Promise.all(
      [1, 2].map(async () => {
        const token = await issuer.issue(claims);
        return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).uti;
      }),
    );
    assert.notEqual(utis[0], utis[1]);
  });

  it('applies overrides and removes claims overridden with undefined', async () => {
    const issuer = await createValidationTokenIssuer();
    const token = await issuer.issue({
      tenantId: TENANT,
      audience: APP_ID,
      lifetimeSeconds: 60,
      now: ISSUED_AT,
      overrides: { appid: undefined, azp: 'x', ver: '2.0' },
    });
    const { payload } = await jwtVerify(token, createLocalJWKSet(issuer.jwks()), {
      currentDate: ISSUED_AT,
    });
    assert.equal('appid' in payload, false);
    assert.equal(payload['azp'], 'x');
    assert.equal(payload['ver'], '2.0');
    assert.equal(payload.exp, ISSUED_AT.getTime() / 1000 + 60);
  });

  it('publishes public keys only', async () => {
    const issuer = await createValidationTokenIssuer();
    for (const key of issuer.jwks().keys) {
      assert.equal(key.kty, 'RSA');
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(secret in key, false);
    }
  });

  it('rotates to a new kid, keeps the old one listed until it is removed', async () => {
    const issuer = await createValidationTokenIssuer({ keyId: 'old' });
    const newKid = await issuer.rotate();
    assert.notEqual(newKid, 'old');
    assert.equal(issuer.keyId, newKid);
    const token = await issuer.issue({ tenantId: TENANT, audience: APP_ID });
    assert.equal(decodeProtectedHeader(token).kid, newKid);
    assert.deepEqual(
      issuer.jwks().keys.map((key) => key.kid),
      ['old', newKid],
    );
    issuer.removeKey('old');
    issuer.removeKey(newKid);
    assert.deepEqual(
      issuer.jwks().keys.map((key) => key.kid),
      [newKid],
    );
  });
});
