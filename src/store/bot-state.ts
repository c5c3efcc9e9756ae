import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { AppError } from '../errors/app-error';
import type { EpochMs, StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';

/**
 * botbuilder `Storage` over the store, so a sign-in started on one instance finishes on another
 * and survives restarts. Optimistic concurrency as MemoryStorage: a write with an eTag other than
 * `*` must match the stored one (else BOT_STATE_CONFLICT).
 */
export function createStoreBackedStorage(
  db: StoreExecutor,
  now: () => EpochMs = Date.now,
): Storage {
  return {
    async read(keys) {
      if (keys.length === 0) return {};
      const rows = await storeOperation('read bot state', () =>
        db.selectFrom('bot_state').selectAll().where('state_key', 'in', keys).execute(),
      );
      const items: StoreItems = {};
      for (const row of rows) {
        items[row.state_key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
      }
      return items;
    },
    async write(changes) {
      const entries = Object.entries(changes);
      if (entries.length === 0) return;
      await storeOperation('write bot state', () =>
        inTransaction(db, async (trx) => {
          for (const [key, item] of entries)
            await writeItem(trx, key, item as Record<string, unknown>, now());
        }),
      );
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await storeOperation('delete bot state', () =>
        db.deleteFrom('bot_state').where('state_key', 'in', keys).execute(),
      );
    },
  };
}

async function writeItem(
  trx: StoreExecutor,
  key: string,
  item: Record<string, unknown>,
  at: EpochMs,
): Promise<void> {
  const { eTag, ...rest } = item;
  const value = JSON.stringify(rest);
  const etag = randomUUID();
  if (typeof eTag === 'string' && eTag !== '*') {
    const updated = await trx
      .updateTable('bot_state')
      .set({ value, etag, updated_at: at })
      .where('state_key', '=', key)
      .where('etag', '=', eTag)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) return;
    const exists = await trx
      .selectFrom('bot_state')
      .select('state_key')
      .where('state_key', '=', key)
      .executeTakeFirst();
    if (exists) throw new AppError('BOT_STATE_CONFLICT', key);
  }
  await trx
    .insertInto('bot_state')
    .values({ state_key: key, value, etag, updated_at: at })
    .onConflict((oc) => oc.column('state_key').doUpdateSet({ value, etag, updated_at: at }))
    .execute();
}

/** Deletes turn state untouched since `olderThan` (abandoned conversations); returns how many. */
export async function purgeStaleBotState(db: StoreExecutor, olderThan: EpochMs): Promise<number> {
  const result = await storeOperation('purge bot state', () =>
    db.deleteFrom('bot_state').where('updated_at', '<', olderThan).executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}
