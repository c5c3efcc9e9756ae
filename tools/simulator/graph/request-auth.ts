import type { Request } from 'restify';
import { GraphError } from '../http/graph-error';

/** Who is calling, from a verified delegated access token. */
export interface GraphCaller {
  userId: string;
  tenantId: string;
  appId: string;
  scopes: string[];
  expiresAt: number;
}

/** Verifies access tokens (the identity authority). */
export interface AccessTokenVerifier {
  verify(token: string): Promise<GraphCaller>;
}

function bearerToken(req: Request): string {
  const header = req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  }
  return match[1];
}

function asGraphError(error: unknown): GraphError {
  if (error instanceof GraphError) return error;
  return new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
}

/** Verifies the request's bearer token; every failure is Graph's 401 error. */
export async function authenticate(
  req: Request,
  verifier: AccessTokenVerifier,
): Promise<GraphCaller> {
  const token = bearerToken(req);
  try {
    return await verifier.verify(token);
  } catch (error) {
    throw asGraphError(error);
  }
}

function scopeName(scope: string): string {
  return (scope.split('/').pop() ?? scope).toLowerCase();
}

/** 403 unless the token carries one of `accepted` delegated scopes (`.default` carries all). */
export function requireScope(caller: GraphCaller, accepted: readonly string[]): void {
  const granted = new Set(caller.scopes.map(scopeName));
  if (granted.has('.default')) return;
  if (accepted.some((scope) => granted.has(scope.toLowerCase()))) return;
  throw new GraphError(403, 'Forbidden', 'Insufficient privileges to complete the operation.');
}
