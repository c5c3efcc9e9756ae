import type { GraphClient } from '../graph';
import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';
import { listWatches } from '../store/watches';
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
 * Looks names up with the first watcher whose token works, and remembers every name found for
 * the life of the process; a person nobody can look up stays unnamed (the card shows the id).
 */
export function createDisplayNameLookup(sources: DisplayNameSources): DisplayNameLookup {
  const log = sources.logger.child({ module: 'display-names' });
  const known = new Map<string, string>();
  return async (tenantId, userIds) => {
    const names = new Map<string, string>();
    for (const userId of userIds) {
      const key = `${tenantId}|${userId}`;
      const name =
        known.get(key) ?? (await lookUpName(sources, tenantId, userId).catch(() => undefined));
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
    if (token) return (await sources.graph.getUser(token, userId)).displayName;
  }
  return undefined;
}
