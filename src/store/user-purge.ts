import type { StoreExecutor } from './database-schema';
import { normalizeEntraId } from './entra-ids';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';
import { deleteWatches, type Watch } from './watches';

/** A user leaving the app: who they are in the store, and the turn-state keys kept for them. */
export interface LeavingUser {
  readonly tenantId: string;
  /** Entra object id; undefined when the channel did not say (only turn state is then purged). */
  readonly aadObjectId: string | undefined;
  readonly botStateKeys: readonly string[];
}

/**
 * Purges what the store holds about a user as a watcher, in one transaction: their watches in every
 * conversation of the tenant, their channel account, their "sign in again" alert and their turn
 * state. Their Graph subscription row is left to the keeper, which deletes the subscription once it
 * covers nobody. Opt-outs stay: they are the person's own instruction. Returns the removed watches.
 */
export async function purgeLeavingUser(db: StoreExecutor, user: LeavingUser): Promise<Watch[]> {
  return storeOperation('purge leaving user', () =>
    inTransaction(db, async (executor) => {
      if (user.botStateKeys.length > 0) {
        await executor
          .deleteFrom('bot_state')
          .where('state_key', 'in', user.botStateKeys)
          .execute();
      }
      if (user.aadObjectId === undefined) return [];
      const userId = normalizeEntraId(user.aadObjectId);
      const watches = await deleteWatches(executor, { tenantId: user.tenantId, watcherId: userId });
      await executor
        .deleteFrom('channel_accounts')
        .where('tenant_id', '=', user.tenantId.toLowerCase())
        .where('aad_object_id', '=', userId)
        .execute();
      await executor
        .deleteFrom('user_signin_alerts')
        .where('tenant_id', '=', user.tenantId)
        .where('user_id', '=', userId)
        .execute();
      return watches;
    }),
  );
}
