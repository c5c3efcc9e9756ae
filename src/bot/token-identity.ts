import { decodeJwt } from 'jose';
import type { ChannelUser } from './turn-identity';

/**
 * True when a delegated token the token service handed back names the turn's user: its `oid` is
 * the activity's `from.aadObjectId` and its `tid` the activity's tenant (compared case-blind).
 */
export function isTokenOfUser(token: string, user: ChannelUser): boolean {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return false;
  }
  return sameId(claims.oid, user.aadObjectId) && sameId(claims.tid, user.tenantId);
}

function sameId(claim: unknown, expected: string | undefined): boolean {
  return (
    typeof claim === 'string' &&
    expected !== undefined &&
    expected.length > 0 &&
    claim.toLowerCase() === expected.toLowerCase()
  );
}
