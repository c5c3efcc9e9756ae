import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { localKeySet } from '../../../src/notifications/tokens/jwks-sources';
import { GRAPH_CHANGE_TRACKING_APP_ID } from '../../../src/notifications/tokens/graph-token-claims';
import { createValidationTokenVerifier } from '../../../src/notifications/tokens/validation-token-verifier';
import { createLogger, silentLogger } from '../../../src/logging/logger';
import type { ValidationTokenIssuer } from '../../../tools/simulator/validation-token-issuer';
import { expectAppError } from '../../helpers/expect-app-error';
import {
  APP_ID,
  countingKeySet,
  ISSUED_AT,
  manualClock,
  newIssuer,
  TENANT_A,
  TENANT_B,
} from '../../helpers/validation-token-test-kit';

describe('validation-token verifier: claims', () => {
  let issuer: ValidationTokenIssuer;

  before(async () => {
    issuer = await newIssuer();
  });

  const verifier = (audiences: readonly string[] = [APP_ID], at: Date = ISSUED_AT) =>
    createValidationTokenVerifier({
      keySet: countingKeySet(issuer).keySet,
      audiences,
      now: () => at,
      logger: silentLogger(),
    });

  const issue = (overrides: Record<string, unknown> = {}, tenantId = TENANT_A) =>
    issuer.issue({ tenantId, audience: APP_ID, now: ISSUED_AT, overrides });

  const v2Overrides = (tenantId: string) => ({
    iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
    appid: undefined,
    appidacr: undefined,
    azp: GRAPH_CHANGE_TRACKING_APP_ID,
    azpacr: '2',
    ver: '2.0',
  });

  it('accepts a v1 token from Graph (appid, sts.windows.net issuer)', async () => {
    await verifier().verifyBatch([await issue()], [TENANT_A]);
  });

  it('accepts a v2 token (azp, login.microsoftonline.com issuer)', async () => {
    await verifier().verifyBatch([await issue(v2Overrides(TENANT_A))], [TENANT_A]);
  });

  it('accepts a token whose aud is any of the configured app ids', async () => {
    const other = 'f1d5e0a2-0000-4000-8000-000000000001';
    await verifier([other, APP_ID]).verifyBatch([await issue()], [TENANT_A]);
  });

  it('rejects a token for another audience', async () => {
    const token = await issue({ aud: 'someone-else' });
    const error = await expectAppError(
      verifier().verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /aud/);
  });

  it('rejects every token when no audience is configured', async () => {
    await expectAppError(
      verifier([]).verifyBatch([await issue()], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
  });

  it('rejects an issuer that is not Entra ID', async () => {
    const token = await issue({ iss: `https://evil.example.com/${TENANT_A}/` });
    const error = await expectAppError(
      verifier().verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /iss/);
  });

  it('rejects an issuer naming another tenant than tid', async () => {
    const token = await issue({ iss: `https://sts.windows.net/${TENANT_B}/` });
    const error = await expectAppError(
      verifier().verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /iss/);
  });

  it('rejects a token without tid', async () => {
    const error = await expectAppError(
      verifier().verifyBatch([await issue({ tid: undefined })], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /tid/);
  });

  it('rejects a publisher appid other than Graph change tracking', async () => {
    const token = await issue({ appid: '11111111-2222-3333-4444-555555555555' });
    const error = await expectAppError(
      verifier().verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /appid/);
  });

  it('rejects a v2 token whose azp is not Graph change tracking', async () => {
    const token = await issue({ ...v2Overrides(TENANT_A), azp: APP_ID });
    await expectAppError(verifier().verifyBatch([token], [TENANT_A]), 'VALIDATION_TOKEN_INVALID');
  });

  it('rejects a token with neither appid nor azp', async () => {
    const token = await issue({ appid: undefined });
    await expectAppError(verifier().verifyBatch([token], [TENANT_A]), 'VALIDATION_TOKEN_INVALID');
  });

  it('rejects a batch whose item tenant no token covers', async () => {
    await expectAppError(
      verifier().verifyBatch([await issue()], [TENANT_A, TENANT_B]),
      'VALIDATION_TOKEN_TENANT_MISMATCH',
    );
  });

  it('accepts two tokens for the two tenants of a mixed batch', async () => {
    const tokens = [await issue({}, TENANT_A), await issue({}, TENANT_B)];
    await verifier().verifyBatch(tokens, [TENANT_A, TENANT_B]);
  });

  it('rejects the whole batch when one of two tokens is bad', async () => {
    const tokens = [await issue({}, TENANT_A), await issue({ aud: 'someone-else' }, TENANT_B)];
    const error = await expectAppError(
      verifier().verifyBatch(tokens, [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /token 2/);
  });

  it('never puts the token into the error', async () => {
    const token = await issue({ aud: 'someone-else' });
    const error = await expectAppError(
      verifier().verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    for (const part of token.split('.')) assert.ok(!error.message.includes(part));
  });

  it('rejects a missing or empty token list when tokens are required', async () => {
    await expectAppError(
      verifier().verifyBatch(undefined, [TENANT_A]),
      'VALIDATION_TOKENS_MISSING',
    );
    await expectAppError(
      verifier().verifyBatch([], [TENANT_A], { requireTokens: true }),
      'VALIDATION_TOKENS_MISSING',
    );
  });

  it('accepts a batch without tokens when tokens are not required', async () => {
    await verifier().verifyBatch(undefined, [TENANT_A], { requireTokens: false });
  });

  it('rejects an empty-string token and garbage', async () => {
    await expectAppError(verifier().verifyBatch([''], [TENANT_A]), 'VALIDATION_TOKEN_INVALID');
    await expectAppError(
      verifier().verifyBatch(['not.a.jwt'], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
  });
});

describe('validation-token verifier: lifetime', () => {
  let issuer: ValidationTokenIssuer;

  before(async () => {
    issuer = await newIssuer();
  });

  const verifierAt = (at: Date) =>
    createValidationTokenVerifier({
      keySet: countingKeySet(issuer).keySet,
      audiences: [APP_ID],
      clockToleranceSeconds: 120,
      now: () => at,
      logger: silentLogger(),
    });

  const secondsAfter = (seconds: number) => new Date(ISSUED_AT.getTime() + seconds * 1000);
  const issueLasting = (lifetimeSeconds: number) =>
    issuer.issue({ tenantId: TENANT_A, audience: APP_ID, now: ISSUED_AT, lifetimeSeconds });

  it('rejects an expired token', async () => {
    const token = await issueLasting(3600);
    const error = await expectAppError(
      verifierAt(secondsAfter(3600 + 121)).verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /exp/);
  });

  it('accepts a token expired by less than the clock tolerance', async () => {
    const token = await issueLasting(3600);
    await verifierAt(secondsAfter(3600 + 100)).verifyBatch([token], [TENANT_A]);
  });

  it('rejects a token whose nbf is beyond the tolerance in the future', async () => {
    const token = await issueLasting(3600);
    const error = await expectAppError(
      verifierAt(secondsAfter(-121)).verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /nbf/);
  });

  it('accepts a token whose nbf is within the tolerance in the future', async () => {
    const token = await issueLasting(3600);
    await verifierAt(secondsAfter(-100)).verifyBatch([token], [TENANT_A]);
  });

  it('rejects a token without exp', async () => {
    const token = await issuer.issue({
      tenantId: TENANT_A,
      audience: APP_ID,
      now: ISSUED_AT,
      overrides: { exp: undefined },
    });
    await expectAppError(
      verifierAt(ISSUED_AT).verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
  });
});

describe('validation-token verifier: signatures', () => {
  let issuer: ValidationTokenIssuer;

  before(async () => {
    issuer = await newIssuer();
  });

  const verifier = () =>
    createValidationTokenVerifier({
      keySet: countingKeySet(issuer).keySet,
      audiences: [APP_ID],
      now: () => ISSUED_AT,
      logger: silentLogger(),
    });

  const graphPayload = async () => {
    const genuine = await issuer.issue({ tenantId: TENANT_A, audience: APP_ID, now: ISSUED_AT });
    return JSON.parse(Buffer.from(genuine.split('.')[1] ?? '', 'base64url').toString('utf8'));
  };

  it('rejects a token signed by another key under the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(await graphPayload())
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: issuer.keyId })
      .sign(privateKey);
    const error = await expectAppError(
      verifier().verifyBatch([forged], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /signature/);
  });

  it('rejects a genuine token whose payload was altered', async () => {
    const [header, , signature] = (
      await issuer.issue({ tenantId: TENANT_A, audience: APP_ID, now: ISSUED_AT })
    ).split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...(await graphPayload()), tid: TENANT_B }),
    ).toString('base64url');
    await expectAppError(
      verifier().verifyBatch([`${header}.${payload}.${signature}`], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
  });

  it('rejects an HS256 token', async () => {
    const forged = await new SignJWT(await graphPayload())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: issuer.keyId })
      .sign(Buffer.alloc(32, 7));
    const error = await expectAppError(
      verifier().verifyBatch([forged], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /alg/);
  });

  it('rejects a PS256 token even when the signing key is published without alg', async () => {
    const { privateKey, publicKey } = await generateKeyPair('PS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'no-alg-key' };
    const token = await new SignJWT(await graphPayload())
      .setProtectedHeader({ alg: 'PS256', typ: 'JWT', kid: 'no-alg-key' })
      .sign(privateKey);
    const noAlgVerifier = createValidationTokenVerifier({
      keySet: localKeySet({ keys: [jwk] }),
      audiences: [APP_ID],
      now: () => ISSUED_AT,
      logger: silentLogger(),
    });
    const error = await expectAppError(
      noAlgVerifier.verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /alg is not RS256/);
  });

  it('rejects an unsigned (alg none) token', async () => {
    const forged = new UnsecuredJWT(await graphPayload()).encode();
    await expectAppError(verifier().verifyBatch([forged], [TENANT_A]), 'VALIDATION_TOKEN_INVALID');
  });

  it('rejects a token whose kid is in no key set', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(await graphPayload())
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'unknown-kid' })
      .sign(privateKey);
    const error = await expectAppError(
      verifier().verifyBatch([forged], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /kid/);
  });
});

describe('validation-token verifier: cache', () => {
  let issuer: ValidationTokenIssuer;

  before(async () => {
    issuer = await newIssuer();
  });

  it('verifies a repeated token without asking the key set again', async () => {
    const counting = countingKeySet(issuer);
    const verifier = createValidationTokenVerifier({
      keySet: counting.keySet,
      audiences: [APP_ID],
      now: () => ISSUED_AT,
      logger: silentLogger(),
    });
    const token = await issuer.issue({ tenantId: TENANT_A, audience: APP_ID, now: ISSUED_AT });
    await verifier.verifyBatch([token], [TENANT_A]);
    await verifier.verifyBatch([token], [TENANT_A]);
    assert.equal(counting.calls, 1);
    await expectAppError(
      verifier.verifyBatch([token], [TENANT_B]),
      'VALIDATION_TOKEN_TENANT_MISMATCH',
    );
    assert.equal(counting.calls, 1);
  });

  it('rejects a cached token once the clock passes its exp', async () => {
    const counting = countingKeySet(issuer);
    const clock = manualClock(ISSUED_AT);
    const verifier = createValidationTokenVerifier({
      keySet: counting.keySet,
      audiences: [APP_ID],
      clockToleranceSeconds: 60,
      now: clock.now,
      logger: silentLogger(),
    });
    const token = await issuer.issue({
      tenantId: TENANT_A,
      audience: APP_ID,
      now: ISSUED_AT,
      lifetimeSeconds: 600,
    });
    await verifier.verifyBatch([token], [TENANT_A]);
    clock.advanceSeconds(600 + 61);
    const error = await expectAppError(
      verifier.verifyBatch([token], [TENANT_A]),
      'VALIDATION_TOKEN_INVALID',
    );
    assert.match(error.message, /exp/);
    assert.equal(counting.calls, 1);
  });

  it('does not cache a failed verification', async () => {
    const counting = countingKeySet(issuer);
    const verifier = createValidationTokenVerifier({
      keySet: counting.keySet,
      audiences: [APP_ID],
      now: () => ISSUED_AT,
      logger: silentLogger(),
    });
    const token = await issuer.issue({
      tenantId: TENANT_A,
      audience: APP_ID,
      now: ISSUED_AT,
      overrides: { appid: APP_ID },
    });
    await expectAppError(verifier.verifyBatch([token], [TENANT_A]), 'VALIDATION_TOKEN_INVALID');
    await expectAppError(verifier.verifyBatch([token], [TENANT_A]), 'VALIDATION_TOKEN_INVALID');
    assert.equal(counting.calls, 2);
  });
});

describe('validation-token verifier: logging', () => {
  it('logs the rejection reason but never the token', async () => {
    const issuer = await newIssuer();
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const verifier = createValidationTokenVerifier({
      keySet: countingKeySet(issuer).keySet,
      audiences: [APP_ID],
      now: () => ISSUED_AT,
      logger: createLogger({ level: 'debug', format: 'json', destination }),
    });
    const good = await issuer.issue({ tenantId: TENANT_A, audience: APP_ID, now: ISSUED_AT });
    const bad = await issuer.issue({
      tenantId: TENANT_A,
      audience: APP_ID,
      now: ISSUED_AT,
      overrides: { aud: 'someone-else' },
    });
    await verifier.verifyBatch([good], [TENANT_A]);
    await expectAppError(verifier.verifyBatch([good, bad], [TENANT_A]), 'VALIDATION_TOKEN_INVALID');
    const log = lines.join('');
    assert.match(log, /VALIDATION_TOKEN_INVALID/);
    for (const token of [good, bad]) {
      for (const part of token.split('.'))
        assert.ok(!log.includes(part), 'a token part was logged');
    }
  });
});
