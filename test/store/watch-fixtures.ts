import type { StoreExecutor } from '../../src/store/database-schema';
import { upsertWatch, type Watch } from '../../src/store/watches';

/** When the store tests' watches were added. */
export const WATCHED_AT = 1_700_000_000_000;

/** Stores a watch of `targetId` by `watcherId` in a conversation of tenant t1, with default options. */
export function storeWatch(
  db: StoreExecutor,
  conversationId: string,
  watcherId: string,
  targetId: string,
): Promise<Watch> {
  return upsertWatch(
    db,
    {
      tenantId: 't1',
      conversationId,
      watcherId,
      targetId,
      onlyWhenAvailable: false,
      once: false,
      includeActivity: false,
    },
    WATCHED_AT,
  );
}
