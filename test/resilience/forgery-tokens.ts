import { GRAPH_CHANGE_TRACKING_APP_ID } from '../../src/notifications/tokens/graph-token-claims';
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
import { OTHER_APP, OTHER_TENANT, signatureForgeries } from './forgery-token-signatures';

export { flipChar } from './forgery-token-signatures';

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
