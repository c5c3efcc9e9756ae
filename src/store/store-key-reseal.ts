import { isAppError } from '../errors/app-error';
import type { StoreExecutor } from './database-schema';
import { privateKeyContext } from './encryption-keys';
import { currentKeyPrefix, openSecret, sealSecret } from './secret-box';
import { storeOperation } from './store-failure';
import type { StoreKeyRing } from './store-keys';
import { clientStateContext } from './subscription-secrets';
import { msalCacheContext } from './msal-token-cache';

/** What one re-seal pass did: values moved to the current key, and values no key of the ring opens. */
export interface ResealOutcome {
  readonly resealed: number;
  readonly unopenable: number;
}

interface SealedValue {
  readonly sealed: string;
  readonly context: string;
  /** Writes the re-sealed value only if the row still holds `sealed`; true when it did. */
  replace(resealed: string): Promise<boolean>;
}

/**
 * Re-seals every stored secret not yet under the ring's current key (previous keys, or the key-id-less
 * v1 format). Each row is replaced only if it still holds the value read, so instances running this at
 * the same time, and writers sealing new values, never lose a write.
 */
export async function resealStoredSecrets(
  db: StoreExecutor,
  ring: StoreKeyRing,
): Promise<ResealOutcome> {
  const values = [
    ...(await sealedPrivateKeys(db, ring)),
    ...(await sealedClientStates(db, ring)),
    ...(await sealedMsalCaches(db, ring)),
  ];
  let resealed = 0;
  let unopenable = 0;
  for (const value of values) {
    const plaintext = openOrUndefined(ring, value);
    if (plaintext === undefined) unopenable += 1;
    else if (await value.replace(sealSecret(ring, plaintext, value.context))) resealed += 1;
  }
  return { resealed, unopenable };
}

function openOrUndefined(ring: StoreKeyRing, value: SealedValue): Buffer | undefined {
  try {
    return openSecret(ring, value.sealed, value.context);
  } catch (error) {
    if (isAppError(error, 'STORE_KEY_UNAVAILABLE') || isAppError(error, 'SECRET_BOX_FAILED')) {
      return undefined;
    }
    throw error;
  }
}

async function sealedPrivateKeys(db: StoreExecutor, ring: StoreKeyRing): Promise<SealedValue[]> {
  const rows = await storeOperation('list private keys to re-seal', () =>
    db
      .selectFrom('encryption_keys')
      .select(['certificate_id', 'private_key_sealed'])
      .where('private_key_sealed', 'not like', `${currentKeyPrefix(ring)}%`)
      .execute(),
  );
  return rows.map((row) => ({
    sealed: row.private_key_sealed,
    context: privateKeyContext(row.certificate_id),
    replace: async (resealed) => {
      const result = await storeOperation('re-seal private key', () =>
        db
          .updateTable('encryption_keys')
          .set({ private_key_sealed: resealed })
          .where('certificate_id', '=', row.certificate_id)
          .where('private_key_sealed', '=', row.private_key_sealed)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) > 0;
    },
  }));
}

async function sealedClientStates(db: StoreExecutor, ring: StoreKeyRing): Promise<SealedValue[]> {
  const rows = await storeOperation('list client states to re-seal', () =>
    db
      .selectFrom('graph_subscriptions')
      .select(['tenant_id', 'owner_id', 'client_state_sealed'])
      .where('client_state_sealed', 'is not', null)
      .where('client_state_sealed', 'not like', `${currentKeyPrefix(ring)}%`)
      .execute(),
  );
  return rows.flatMap(({ tenant_id, owner_id, client_state_sealed: sealed }) =>
    sealed === null
      ? []
      : [
          {
            sealed,
            context: clientStateContext(tenant_id, owner_id),
            replace: async (resealed: string) => {
              const result = await storeOperation('re-seal client state', () =>
                db
                  .updateTable('graph_subscriptions')
                  .set({ client_state_sealed: resealed })
                  .where('tenant_id', '=', tenant_id)
                  .where('owner_id', '=', owner_id)
                  .where('client_state_sealed', '=', sealed)
                  .executeTakeFirst(),
              );
              return Number(result.numUpdatedRows) > 0;
            },
          },
        ],
  );
}

async function sealedMsalCaches(db: StoreExecutor, ring: StoreKeyRing): Promise<SealedValue[]> {
  const rows = await storeOperation('list MSAL caches to re-seal', () =>
    db
      .selectFrom('msal_token_cache')
      .select(['partition_key', 'cache_sealed'])
      .where('cache_sealed', 'not like', `${currentKeyPrefix(ring)}%`)
      .execute(),
  );
  return rows.map((row) => ({
    sealed: row.cache_sealed,
    context: msalCacheContext(row.partition_key),
    replace: async (resealed) => {
      const result = await storeOperation('re-seal MSAL cache', () =>
        db
          .updateTable('msal_token_cache')
          .set({ cache_sealed: resealed })
          .where('partition_key', '=', row.partition_key)
          .where('cache_sealed', '=', row.cache_sealed)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) > 0;
    },
  }));
}
