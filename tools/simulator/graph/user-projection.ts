import {
  DEFAULT_USER_PROPERTIES,
  SELECTABLE_USER_PROPERTIES,
  type SimUser,
} from '../directory/sim-user';
import { GraphError } from '../http/graph-error';

/** Parses `$select` into the user properties to return (Graph's defaults when absent). */
export function selectedProperties(select: string | undefined): readonly (keyof SimUser)[] {
  if (!select) return DEFAULT_USER_PROPERTIES;
  return select.split(',').map((name) => {
    const found = SELECTABLE_USER_PROPERTIES.find(
      (p) => p.toLowerCase() === name.trim().toLowerCase(),
    );
    if (!found) {
      throw new GraphError(
        400,
        'BadRequest',
        `Could not find a property named '${name.trim()}' on type 'microsoft.graph.user'.`,
      );
    }
    return found;
  });
}

/** The Graph JSON of a user, limited to `properties`. */
export function projectUser(
  user: SimUser,
  properties: readonly (keyof SimUser)[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const name of properties) result[name] = user[name] ?? null;
  return result;
}
