import { GRAPH_AUDIENCE, PRESENCE_WATCH_SCOPES } from '../identity';
import { OAuthError } from './oauth-error';

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** A `scope` parameter split into Graph permissions and the OpenID Connect scopes asked for. */
export interface RequestedScopes {
  /** Graph permission names (`Presence.Read.All`), as `scp` carries them. */
  graph: string[];
  openid: boolean;
  offlineAccess: boolean;
}

function graphPermission(scope: string): string {
  const prefix = `${GRAPH_AUDIENCE}/`;
  const name = scope.toLowerCase().startsWith(prefix) ? scope.slice(prefix.length) : scope;
  if (name.includes('/') || name.includes(':')) {
    throw new OAuthError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    );
  }
  return name;
}

/** Reads a space-separated `scope` parameter: Graph scopes (prefixed or bare, `.default`) and OIDC ones. */
export function readScopes(scope: string | undefined): RequestedScopes {
  const all = (scope ?? '').split(' ').filter(Boolean);
  const graph = all.filter((s) => !OIDC_SCOPES.has(s.toLowerCase())).map(graphPermission);
  const expanded = graph.flatMap((s) => (s === '.default' ? [...PRESENCE_WATCH_SCOPES] : [s]));
  if (expanded.length === 0) {
    throw new OAuthError(
      400,
      'invalid_scope',
      70011,
      "The provided value for the input parameter 'scope' is not valid: it names no resource scope.",
    );
  }
  return {
    graph: [...new Set(expanded)],
    openid: all.includes('openid'),
    offlineAccess: all.includes('offline_access'),
  };
}

/** The `scope` a token response reports: the Graph permissions, resource-qualified. */
export function grantedScope(graphScopes: readonly string[]): string {
  return graphScopes.map((s) => `${GRAPH_AUDIENCE}/${s}`).join(' ');
}
