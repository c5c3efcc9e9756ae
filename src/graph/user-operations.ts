import { AppError } from '../errors/app-error';
import type { GraphCall } from './graph-caller';
import type { GraphUser } from './graph-types';
import { odataString, pathSegment } from './graph-text';

/** Directory reads for the bot; each takes a delegated access token first. */
export interface UserOperations {
  /** One person by object id or userPrincipalName. */
  getUser(accessToken: string, idOrUpn: string): Promise<GraphUser>;
  /** People whose displayName, mail or userPrincipalName starts with `text` (at most `top`). */
  searchUsers(accessToken: string, text: string, top: number): Promise<GraphUser[]>;
}

const USER_FIELDS = 'id,displayName,mail,userPrincipalName,jobTitle';
const MAX_TOP = 999;

function nullableText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Reads Graph's user JSON into a GraphUser. */
export function toGraphUser(raw: unknown): GraphUser {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof body.id !== 'string' || body.id.length === 0) {
    throw new AppError('GRAPH_REQUEST_FAILED', 'a user has no id');
  }
  const userPrincipalName = nullableText(body.userPrincipalName) ?? '';
  return {
    id: body.id,
    displayName: nullableText(body.displayName) ?? userPrincipalName,
    mail: nullableText(body.mail),
    userPrincipalName,
    jobTitle: nullableText(body.jobTitle),
  };
}

/** The `$filter` for a prefix search over displayName, mail and userPrincipalName. */
export function userSearchFilter(text: string): string {
  const literal = odataString(text);
  return ['displayName', 'mail', 'userPrincipalName']
    .map((property) => `startswith(${property},${literal})`)
    .join(' or ');
}

/** Builds the directory reads over `call`. */
export function userOperations(call: GraphCall): UserOperations {
  return {
    getUser: (token, idOrUpn) =>
      call(token, 'getUser', async (client) =>
        toGraphUser(
          await client
            .api(`/users/${pathSegment(idOrUpn)}`)
            .select(USER_FIELDS)
            .get(),
        ),
      ),
    async searchUsers(token, text, top) {
      const prefix = text.trim();
      if (prefix.length === 0) return [];
      const size = Number.isFinite(top) ? Math.min(MAX_TOP, Math.max(1, Math.floor(top))) : MAX_TOP;
      const page = await call(token, 'searchUsers', (client): Promise<unknown> =>
        client
          .api('/users')
          .filter(encodeURIComponent(userSearchFilter(prefix)))
          .select(USER_FIELDS)
          .top(size)
          .get(),
      );
      const value = (page as { value?: unknown } | undefined)?.value;
      return Array.isArray(value) ? value.map(toGraphUser) : [];
    },
  };
}
