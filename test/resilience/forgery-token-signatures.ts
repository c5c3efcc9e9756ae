import { createPublicKey, randomUUID } from 'node:crypto';
import { base64url, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createValidationTokenIssuer } from '../../tools/simulator/validation-token-issuer';
import type { GenuineSource } from './forgery-genuine';

/** A tenant that is not the subscription's. */
export const OTHER_TENANT = '7f0e1d2c-3b4a-4958-8677-665544332211';
/** An app id that is not ours. */
export const OTHER_APP = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function jwtParts(token: string): [string, string, string] {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return [header, payload, signature];
}

function encodeSegment(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

function genuinePayload(token: string): JWTPayload {
  return JSON.parse(Buffer.from(jwtParts(token)[1], 'base64url').toString('utf8')) as JWTPayload;
}

/** Tokens with a forged signature, algorithm, kid or payload, each with its category. */
export async function signatureForgeries(
  source: GenuineSource,
  genuine: string,
): Promise<[string, string][]> {
  const payload = genuinePayload(genuine);
  const kid = source.issuer.keyId;
  const sameKid = await createValidationTokenIssuer({ keyId: kid });
  const unknownKid = await createValidationTokenIssuer({ keyId: randomUUID() });
  const claims = {
    tenantId: source.subscription.tenantId,
    audience: source.appId,
    now: new Date(source.now()),
  };
  const jwk = source.issuer.jwks().keys.find((key) => key.kid === kid);
  const publicPem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  });
  const hs = (secret: Uint8Array, headerKid = kid): Promise<string> =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: headerKid })
      .sign(secret);
  const { privateKey: ecKey } = await generateKeyPair('ES256');
  const { privateKey: rsaKey } = await generateKeyPair('PS256');
  const [header, body, signature] = jwtParts(genuine);
  const noneToken = (alg: string): string => `${encodeSegment({ alg, typ: 'JWT', kid })}.${body}.`;
  return [
    ['token: bad signature (other key, same kid)', await sameKid.issue(claims)],
    [
      'token: bad signature (other key, same kid)',
      await sameKid.issue({ ...claims, overrides: { exp: payload.exp } }),
    ],
    ['token: unknown kid', await unknownKid.issue(claims)],
    ['token: alg none', noneToken('none')],
    ['token: alg none', noneToken('None')],
    ['token: alg none', noneToken('NONE')],
    ['token: alg none', `${encodeSegment({ alg: 'none' })}.${body}.${signature}`],
    ['token: alg HS256', await hs(Buffer.from(String(publicPem)))],
    ['token: alg HS256', await hs(Buffer.from(jwk?.n ?? '', 'base64url'))],
    ['token: alg HS256', await hs(Buffer.from('secret'))],
    ['token: alg HS256', await hs(Buffer.from(String(publicPem)), 'unknown-kid')],
    [
      'token: other alg',
      await new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid }).sign(ecKey),
    ],
    [
      'token: other alg',
      await new SignJWT(payload).setProtectedHeader({ alg: 'PS256', kid }).sign(rsaKey),
    ],
    [
      'token: tampered payload',
      `${header}.${encodeSegment({ ...payload, exp: (payload.exp ?? 0) + 3600 })}.${signature}`,
    ],
    [
      'token: tampered payload',
      `${header}.${encodeSegment({ ...payload, aud: OTHER_APP })}.${signature}`,
    ],
    [
      'token: tampered payload',
      `${header}.${encodeSegment({ ...payload, tid: OTHER_TENANT })}.${signature}`,
    ],
    ['token: tampered signature', `${header}.${body}.${flipChar(signature, 10)}`],
    ['token: tampered signature', `${header}.${body}.${signature.slice(0, -4)}`],
    ['token: tampered signature', `${header}.${body}.`],
    ['token: tampered signature', `${header}.${body}.${signature}${signature.slice(0, 4)}`],
    ['token: malformed', `${body}.${signature}`],
    ['token: malformed', genuine.slice(0, genuine.length / 2)],
    ['token: malformed', `${genuine}.${signature}`],
    ['token: malformed', ` ${genuine}`],
    ['token: malformed', 'a.b.c'],
    ['token: malformed', 'not-a-token'],
    ['token: malformed', ''],
  ];
}

/** Flips one base64url character to a different one. */
export function flipChar(text: string, index: number): string {
  const at = Math.min(index, text.length - 1);
  const replacement = text[at] === 'A' ? 'B' : 'A';
  return `${text.slice(0, at)}${replacement}${text.slice(at + 1)}`;
}
