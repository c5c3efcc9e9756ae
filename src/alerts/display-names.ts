import type { GraphClient } from '../graph';
import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';
import { listWatches, renameWatchedPerson } from '../store/watches';
import type { DelegatedTokenProvider } from '../watch/token-provider';
import type { DisplayNameLookup } from './alert-fanout';

/** Where display names come from: Graph, read with the token of someone who watches the person. */
export interface DisplayNameSources {
  readonly db: StoreExecutor;
  readonly graph: GraphClient;
  readonly tokens: DelegatedTokenProvider;
  readonly logger: Logger;
}

/**
 * Looks names up with the first watcher whose token works, stores each name found with the
 * person's watches (their fallback when nobody can look the person up) and remembers it for the
 * life of the process; a person nobody can look up is missing from the answer.
 */
export function createDisplayNameLookup(sources: DisplayNameSources): DisplayNameLookup {
  const log = sources.logger.child({ module: 'display-names' });
  const known = new Map<string, string>();
  return async (tenantId, userIds) => {
    const names = new Map<string, string>();
    for (const userId of userIds) {
      const key = `${tenantId}|${userId}`;
      const name =
        known.get(key) ??
        (await lookUpName(sources, tenantId, userId).catch((error: unknown) => {
          log.debug({ error: (error as Error).message }, 'display name lookup failed');
          return undefined;
        }));
      if (name) {
        known.set(key, name);
        names.set(userId, name);
      }
    }
    if (names.size < userIds.length)
      log.debug({ missing: userIds.length - names.size }, 'some display names unknown');
    return names;
  };
}

async function lookUpName(
  sources: DisplayNameSources,
  tenantId: string,
  userId: string,
): Promise<string | undefined> {
  const watchers = await listWatches(sources.db, { tenantId, targetId: userId });
  for (const watch of watchers) {
    const token = await sources.tokens.getToken(tenantId, watch.watcherId).catch(() => undefined);
    if (!token) continue;
    const name = (await sources.graph.getUser(token, userId)).displayName;
    if (name && watchers.some((w) => w.targetName !== name)) {
      await renameWatchedPerson(sources.db, tenantId, userId, name);
    }
    return name;
  }
  return undefined;
}
