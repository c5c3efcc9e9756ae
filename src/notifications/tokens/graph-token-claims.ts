import type { JWTPayload } from 'jose';
import { AppError } from '../../errors/app-error';

/** The Microsoft Graph change-tracking application: the publisher of every validation token. */
export const GRAPH_CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

/** The issuers Entra ID uses for a tenant: v1 (`sts.windows.net`) and v2 (`login.microsoftonline.com`). */
export function acceptedIssuers(tenantId: string): readonly string[] {
  return [
    `https://sts.windows.net/${tenantId}/`,
    `https://login.microsoftonline.com/${tenantId}/v2.0`,
  ];
}

function invalid(detail: string): AppError {
  return new AppError('VALIDATION_TOKEN_INVALID', detail);
}

function requireTenantId(payload: JWTPayload): string {
  const tid = payload['tid'];
  if (typeof tid !== 'string' || tid.length === 0) throw invalid('tid claim missing');
  return tid;
}

function requireIssuerOfTenant(payload: JWTPayload, tenantId: string): void {
  if (typeof payload.iss !== 'string' || !acceptedIssuers(tenantId).includes(payload.iss)) {
    throw invalid('iss claim does not match the token tenant');
  }
}

function requireGraphPublisher(payload: JWTPayload): void {
  const publishers = [payload['appid'], payload['azp']].filter((value) => value !== undefined);
  if (publishers.length === 0) throw invalid('appid/azp claim missing');
  if (!publishers.every((publisher) => publisher === GRAPH_CHANGE_TRACKING_APP_ID)) {
    throw invalid('appid/azp claim is not the Graph change-tracking app');
  }
}

/**
 * Checks the Graph-specific claims of a signature-verified payload: `tid`, an issuer of that tenant,
 * and the Graph change-tracking app as publisher (`appid` in v1 tokens, `azp` in v2; every one present
 * must match). Returns the token's tenant id.
 */
export function checkGraphTokenClaims(payload: JWTPayload): string {
  const tenantId = requireTenantId(payload);
  requireIssuerOfTenant(payload, tenantId);
  requireGraphPublisher(payload);
  return tenantId;
}

/** The `aud` value that matched one of `audiences` (a string, or the first match in an array). */
export function matchedAudience(payload: JWTPayload, audiences: readonly string[]): string {
  const values = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const match = values.find((value) => typeof value === 'string' && audiences.includes(value));
  if (match === undefined) throw invalid('aud claim is not an accepted audience');
  return match;
}
