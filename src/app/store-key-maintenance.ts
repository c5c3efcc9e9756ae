import type { StoreExecutor } from '../store/database-schema';
import { resealStoredSecrets } from '../store/store-key-reseal';
import type { StoreKeyRing } from '../store/store-keys';
import type { MaintenanceTask } from './store-maintenance';

/**
 * The store key re-seal as a maintenance task: moves values sealed under previous keys to the
 * current key, and says when the previous keys are no longer needed.
 */
export function storeKeyResealTask(db: StoreExecutor, ring: StoreKeyRing): MaintenanceTask {
  let announcedDone = false;
  return {
    name: 'store key re-seal',
    run: async (log) => {
      const { resealed, unopenable } = await resealStoredSecrets(db, ring);
      const keyId = ring.current.id;
      if (resealed > 0)
        log.info({ resealed, keyId }, 're-sealed stored secrets under the current store key');
      if (unopenable > 0) {
        log.warn(
          { unopenable, keyId },
          'stored secrets that no configured store key opens were left as they are',
        );
      } else if (ring.previous.length > 0 && !announcedDone) {
        announcedDone = true;
        log.info(
          { keyId, previousKeyIds: ring.previous.map((key) => key.id) },
          'every stored secret is sealed under the current store key: STORE_ENCRYPTION_PREVIOUS_KEYS can be removed',
        );
      }
    },
  };
}
