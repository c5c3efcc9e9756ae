import type { StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';

/** A Teams conversation id without its reply-chain suffix (`19:x@thread.tacv2;messageid=7` → `19:x@thread.tacv2`). */
export function threadBaseId(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

/**
 * Every stored conversation id (with watches or a reference) that is `baseId` itself or one of its
 * reply chains (`baseId;messageid=...`), so a whole chat or channel can be forgotten at once.
 */
export async function storedThreadIds(db: StoreExecutor, baseId: string): Promise<string[]> {
  const pattern = `${baseId}%`;
  const rows = await storeOperation('list conversation threads', () =>
    db
      .selectFrom('watches')
      .select('conversation_id')
      .where('conversation_id', 'like', pattern)
      .union(
        db
          .selectFrom('conversation_references')
          .select('conversation_id')
          .where('conversation_id', 'like', pattern),
      )
      .execute(),
  );
  const ids = rows
    .map((row) => row.conversation_id)
    .filter((id) => id === baseId || id.startsWith(`${baseId};`));
  return [...new Set(ids)].sort();
}
