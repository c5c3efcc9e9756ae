import { isAppError } from '../errors/app-error';
import type { GraphSubscriptionRecord } from '../store/graph-subscriptions';
import type { KeeperContext } from './keeper-context';

/** How long a person Graph's directory did not know is left out of coverage before trying again. */
export const UNKNOWN_PERSON_RECHECK_MS = 6 * 60 * 60_000;

/**
 * After a first 400 on create: looks each desired id up in the directory; ids Graph does not know (a
 * person who left) are left out of the tenant's coverage for a while and the tenant is planned
 * again, so one departed colleague does not cost the watcher every other person. True if any.
 */
export async function excludeUnknownPeople(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  token: string,
): Promise<boolean> {
  const unknown: string[] = [];
  for (const id of record.desiredIds) {
    try {
      await ctx.graph.getUser(token, id);
    } catch (error) {
      if (!isAppError(error, 'GRAPH_NOT_FOUND')) throw error;
      unknown.push(id);
    }
  }
  if (unknown.length === 0) return false;
  const until = ctx.now() + UNKNOWN_PERSON_RECHECK_MS;
  for (const id of unknown) ctx.unknownPeople.set(personKey(record.tenantId, id), until);
  ctx.replanRequests.add(record.tenantId);
  ctx.log.warn(
    { tenantId: record.tenantId, ownerId: record.ownerId, unknown: unknown.length },
    'watched people unknown to the directory are left out of coverage',
  );
  return true;
}

/** The watched ids of `tenantId` currently left out because the directory did not know them. */
export function excludedPeople(ctx: KeeperContext, tenantId: string): Set<string> {
  const now = ctx.now();
  const excluded = new Set<string>();
  for (const [key, until] of ctx.unknownPeople) {
    if (until <= now) ctx.unknownPeople.delete(key);
    else if (key.startsWith(`${tenantId}|`)) excluded.add(key.slice(tenantId.length + 1));
  }
  return excluded;
}

function personKey(tenantId: string, id: string): string {
  return `${tenantId}|${id.toLowerCase()}`;
}
