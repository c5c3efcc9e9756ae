import { sql } from 'kysely';
import type { StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';

/** How the subscriptions of every tenant stand, as readiness judges them. */
export interface SubscriptionHealthCounts {
  /** Subscriptions that should exist (something is covered or wanted). */
  readonly total: number;
  /** Of those, how many failed their last create or renew for a reason of the service's own. */
  readonly failing: number;
  /** Of those, how many wait for their owner to sign in again (one person's matter, not counted as failing). */
  readonly awaitingSignIn: number;
}

/** Counts live, failing and sign-in-blocked subscriptions across all tenants. */
export async function countSubscriptionHealth(
  db: StoreExecutor,
): Promise<SubscriptionHealthCounts> {
  const row = await storeOperation('count subscription health', () =>
    db
      .selectFrom('graph_subscriptions')
      .select([
        sql<number>`count(*)`.as('total'),
        sql<number>`coalesce(sum(case when state = 'failed-auth' then 1 else 0 end), 0)`.as(
          'awaiting_sign_in',
        ),
        sql<number>`coalesce(sum(case when state <> 'failed-auth' and last_error_code is not null then 1 else 0 end), 0)`.as(
          'failing',
        ),
      ])
      .where((eb) => eb.or([eb('desired_ids', '!=', '[]'), eb('covered_ids', '!=', '[]')]))
      .where('state', '!=', 'deleting')
      .executeTakeFirstOrThrow(),
  );
  return {
    total: Number(row.total),
    failing: Number(row.failing),
    awaitingSignIn: Number(row.awaiting_sign_in),
  };
}
