import type { Kysely } from 'kysely';
import { normalizeEntraId } from '../store/entra-ids';
import type { DatabaseSchema } from '../store/database-schema';
import { loadStoredCoverage } from './coverage-input';
import type { CoveragePlan } from './coverage-plan-types';
import { checkWatchRequest } from './coverage-planner';
import type { KeeperConfig } from './keeper-config';

/** A user asking to watch more people. */
export interface WatchRequest {
  readonly tenantId: string;
  readonly watcherId: string;
  readonly targetIds: readonly string[];
}

/**
 * Checks a watch request against the stored watches before it is stored: throws
 * AppError('WATCH_LIMIT_EXCEEDED') when the requester's subscription would need more than 650 ids
 * and nobody else who watches those people has room to cover them. Returns the plan with it applied.
 */
export async function assertWatchAllowed(
  db: Kysely<DatabaseSchema>,
  config: Pick<KeeperConfig, 'redundancy' | 'maxIdsPerSubscription'>,
  request: WatchRequest,
): Promise<CoveragePlan> {
  const { input } = await loadStoredCoverage(db, config, request.tenantId);
  return checkWatchRequest(
    input,
    normalizeEntraId(request.watcherId),
    request.targetIds.map(normalizeEntraId),
  );
}
