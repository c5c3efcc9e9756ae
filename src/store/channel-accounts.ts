import type { EpochMs, StoreExecutor } from './database-schema';
import { normalizeEntraId } from './entra-ids';
import { storeOperation } from './store-failure';

/** A user's account on a channel: where the token service keeps their delegated token. */
export interface StoredChannelAccount {
  readonly tenantId: string;
  readonly aadObjectId: string;
  readonly channelUserId: string;
  readonly channelId: string;
}

/** Records (or moves) the channel account of an Entra user. */
export async function upsertChannelAccount(
  db: StoreExecutor,
  account: StoredChannelAccount,
  now: EpochMs,
): Promise<void> {
  const row = {
    tenant_id: account.tenantId.toLowerCase(),
    aad_object_id: normalizeEntraId(account.aadObjectId),
    channel_user_id: account.channelUserId,
    channel_id: account.channelId,
    updated_at: now,
  };
  await storeOperation('upsert channel account', () =>
    db
      .insertInto('channel_accounts')
      .values(row)
      .onConflict((conflict) =>
        conflict.columns(['tenant_id', 'aad_object_id']).doUpdateSet({
          channel_user_id: row.channel_user_id,
          channel_id: row.channel_id,
          updated_at: row.updated_at,
        }),
      )
      .execute(),
  );
}

/** The channel account of an Entra user, if they have ever talked to the bot. */
export async function findChannelAccount(
  db: StoreExecutor,
  tenantId: string,
  aadObjectId: string,
): Promise<StoredChannelAccount | undefined> {
  const row = await storeOperation('find channel account', () =>
    db
      .selectFrom('channel_accounts')
      .selectAll()
      .where('tenant_id', '=', tenantId.toLowerCase())
      .where('aad_object_id', '=', normalizeEntraId(aadObjectId))
      .executeTakeFirst(),
  );
  return row
    ? {
        tenantId: row.tenant_id,
        aadObjectId: row.aad_object_id,
        channelUserId: row.channel_user_id,
        channelId: row.channel_id,
      }
    : undefined;
}

/** The Entra id of a channel user (`activity.from.id`), if they have ever talked to the bot. */
export async function findAadObjectIdOfChannelUser(
  db: StoreExecutor,
  tenantId: string,
  channelUserId: string,
): Promise<string | undefined> {
  const row = await storeOperation('find channel account by channel user', () =>
    db
      .selectFrom('channel_accounts')
      .select('aad_object_id')
      .where('tenant_id', '=', tenantId.toLowerCase())
      .where('channel_user_id', '=', channelUserId)
      .executeTakeFirst(),
  );
  return row?.aad_object_id;
}
