import { decodeJwt } from 'jose';
import type { IssuedTokens } from '../../../tools/simulator/identity/access-token-authority';
import type { ResilienceStack } from './resilience-stack';

/** Microsoft Graph change tracking: the `appid` of Graph's validation tokens. */
const GRAPH_CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

/** True for a Graph change-tracking validation token (the only JWT allowed in clear). */
export function isValidationToken(jwt: string): boolean {
  try {
    const claims = decodeJwt(jwt);
    return (
      claims.appid === GRAPH_CHANGE_TRACKING_APP_ID || claims.azp === GRAPH_CHANGE_TRACKING_APP_ID
    );
  } catch {
    return false;
  }
}

/** Records every token pair the simulator's sign-in service hands out. */
export function recordIssuedTokens(stack: ResilienceStack): IssuedTokens[] {
  const issued: IssuedTokens[] = [];
  const authority = stack.sim.authority;
  const issue = authority.issue.bind(authority);
  const refresh = authority.refresh.bind(authority);
  authority.issue = async (request) => {
    const tokens = await issue(request);
    issued.push(tokens);
    return tokens;
  };
  authority.refresh = async (token) => {
    const tokens = await refresh(token);
    issued.push(tokens);
    return tokens;
  };
  return issued;
}
