import { createPublicKey, randomUUID } from 'node:crypto';
import { base64url, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createValidationTokenIssuer } from '../../src/simulator/validation-token-issuer';
import { GRAPH_CHANGE_TRACKING_APP_ID } from '../../src/notifications/notification-types';
import {
  bodyOf,
  forged,
  genuineItem,
  genuineToken,
  ITEM_SHAPES,
  without,
  type Forgery,
  type GenuineSource,
} from './forgery-genuine';

const OTHER_TENANT = '7f0e1d2c-3b4a-4958-8677-665544332211';
const OTHER_APP = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const HOUR = 3600;

type ClaimVariant = readonly [category: string, overrides: Record<string, unknown>];

function claimVariants(source: GenuineSource, nowSeconds: number): ClaimVariant[] {
  const tid = source.subscription.tenantId;
  const sts = (tenant: string): string => `https://sts.windows.net/${tenant}/`;
  return [
    ...[
      OTHER_APP,
      '',
      source.appId.toUpperCase(),
      GRAPH_CHANGE_TRACKING_APP_ID,
      `api://${source.appId}`,
      [OTHER_APP],
      42,
      undefined,
    ].map((aud): ClaimVariant => ['token: wrong aud', { aud }]),
    ...[
      sts(OTHER_TENANT),
      `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`,
      `https://sts.windows.net/${tid}`,
      `http://sts.windows.net/${tid}/`,
      `https://sts.windows.net.evil.example/${tid}/`,
      `https://login.microsoftonline.com/${tid}/v2.0/`,
      'https://login.microsoftonline.com/common/v2.0',
      `https://STS.windows.net/${tid}/`,
      '',
      7,
      undefined,
    ].map((iss): ClaimVariant => ['token: wrong iss', { iss }]),
    ...[
      OTHER_APP,
      source.appId,
      '',
      GRAPH_CHANGE_TRACKING_APP_ID.toUpperCase(),
      1,
      [GRAPH_CHANGE_TRACKING_APP_ID],
    ].map((appid): ClaimVariant => ['token: wrong appid', { appid }]),
    ['token: wrong appid', { appid: undefined }],
    ['token: wrong azp', { azp: OTHER_APP }],
    ['token: wrong azp', { appid: undefined, azp: OTHER_APP }],
    ['token: wrong azp', { appid: OTHER_APP, azp: GRAPH_CHANGE_TRACKING_APP_ID }],
    ['token: wrong azp', { azp: '' }],
    ['token: wrong tid', { tid: OTHER_TENANT }],
    ['token: wrong tid', { tid: undefined }],
    ['token: wrong tid', { tid: '' }],
    ['token: wrong tid', { tid: 5 }],
    ...[-5 * 60, -HOUR, -24 * HOUR - 1, -365 * 24 * HOUR].map((offset): ClaimVariant => [
      'token: expired exp',
      { exp: nowSeconds + offset },
    ]),
    ['token: expired exp', { exp: 0 }],
    ['token: expired exp', { exp: undefined }],
    ['token: expired exp', { exp: String(nowSeconds + HOUR) }],
    ...[HOUR, 24 * HOUR, 365 * 24 * HOUR].map((offset): ClaimVariant => [
      'token: future nbf',
      { nbf: nowSeconds + offset },
    ]),
    ['token: future nbf', { nbf: nowSeconds + HOUR, iat: nowSeconds + HOUR }],
  ];
}

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

async function signatureForgeries(
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

function withShapes(
  source: GenuineSource,
  category: string,
  tokens: readonly unknown[] | undefined,
): Forgery[] {
  return ITEM_SHAPES.map((shape) =>
    forged(
      category,
      bodyOf(
        shape.map((i) => genuineItem(source, i)),
        tokens,
      ),
    ),
  );
}

function withoutTenant(item: Record<string, unknown>): Record<string, unknown> {
  return without(item, 'tenantId', 'organizationId');
}

/** A token validly signed for another tenant, beside items of our subscription. */
async function foreignTenantForgeries(source: GenuineSource): Promise<Forgery[]> {
  const foreign = await genuineToken(source, {
    tid: OTHER_TENANT,
    iss: `https://sts.windows.net/${OTHER_TENANT}/`,
  });
  const item = (i: number): Record<string, unknown> => ({ ...genuineItem(source, i) });
  const category = 'token: foreign tenant';
  return [
    ...withShapes(source, category, [foreign]),
    ...[0, 1].map((i) =>
      forged(
        category,
        bodyOf([{ ...item(i), tenantId: OTHER_TENANT, organizationId: OTHER_TENANT }], [foreign]),
      ),
    ),
    ...[0, 1].map((i) => forged(category, bodyOf([withoutTenant(item(i))], [foreign]))),
  ];
}

/** Bodies with genuine items and forged, missing or mixed validation tokens. */
export async function tokenForgeries(source: GenuineSource): Promise<Forgery[]> {
  const nowSeconds = Math.floor(source.now() / 1000);
  const genuine = await genuineToken(source);
  const forgeries: Forgery[] = [];
  const forgedTokens: [string, string][] = [];
  for (const [category, overrides] of claimVariants(source, nowSeconds)) {
    forgedTokens.push([category, await genuineToken(source, overrides)]);
  }
  forgedTokens.push(...(await signatureForgeries(source, genuine)));
  for (const [category, token] of forgedTokens) {
    forgeries.push(...withShapes(source, category, [token]));
    forgeries.push(
      forged(
        `${category} (beside a genuine token)`,
        bodyOf([genuineItem(source, 4)], [genuine, token]),
      ),
    );
    forgeries.push(
      forged(
        `${category} (before a genuine token)`,
        bodyOf([genuineItem(source, 5)], [token, genuine]),
      ),
    );
  }
  forgeries.push(...(await foreignTenantForgeries(source)));
  for (const tokens of [undefined, [], null]) {
    forgeries.push(
      ...withShapes(source, 'missing validationTokens', tokens as unknown[] | undefined),
    );
  }
  return forgeries;
}
