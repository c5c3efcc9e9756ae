import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';
import { LEASED_TABLES, releaseLeases, type ReleasedLeases } from '../store/lease-recovery';
import {
  deadOwnerPredicate,
  isPidAlive,
  type PidProbe,
  type ProcessIdentity,
} from './process-identity';

/**
 * Releases every lease held by a provably dead process of this host (see `deadOwnerPredicate`), so
 * a restart after a crash takes over its predecessor's work at once instead of after a full lease.
 * Run it before any worker starts; logs how many leases were released per table (at debug when none).
 */
export async function releaseDeadOwnersLeases(
  db: StoreExecutor,
  self: ProcessIdentity,
  logger: Logger,
  pidAlive: PidProbe = isPidAlive,
): Promise<ReleasedLeases> {
  const released = await releaseLeases(db, deadOwnerPredicate(self, pidAlive));
  const counts = LEASED_TABLES.map((table) => `${table} ${released[table]}`).join(', ');
  const log = logger.child({ module: 'lease-recovery' });
  const total = LEASED_TABLES.reduce((sum, table) => sum + released[table], 0);
  const level = total > 0 ? 'info' : 'debug';
  log[level]({ released }, `released leases of dead processes on this host: ${counts}`);
  return released;
}
