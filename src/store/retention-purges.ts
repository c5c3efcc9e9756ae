import { sql, type RawBuilder } from 'kysely';
import type { EpochMs, StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';

/**
 * Deletes the last-known presence of people nobody in their tenant watches, last observed before
 * `olderThan`; returns how many.
 */
export async function purgeUnwatchedPresenceStates(
  db: StoreExecutor,
  olderThan: EpochMs,
): Promise<number> {
  const result = await storeOperation('purge unwatched presence', () =>
    db
      .deleteFrom('presence_state')
      .where('observed_at', '<', olderThan)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('watches')
              .select('watches.id')
              .whereRef('watches.target_id', '=', 'presence_state.user_id')
              .where(sameTenant('watches', 'presence_state')),
          ),
        ),
      )
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}

/**
 * Deletes the channel accounts of people who watch nobody and own no subscription row, last seen
 * before `olderThan`; returns how many.
 */
export async function purgeIdleChannelAccounts(
  db: StoreExecutor,
  olderThan: EpochMs,
): Promise<number> {
  const result = await storeOperation('purge idle channel accounts', () =>
    db
      .deleteFrom('channel_accounts')
      .where('updated_at', '<', olderThan)
      .where(({ not, exists, or, selectFrom }) =>
        not(
          or([
            exists(
              selectFrom('watches')
                .select('watches.id')
                .whereRef('watches.watcher_id', '=', 'channel_accounts.aad_object_id')
                .where(sameTenant('watches', 'channel_accounts')),
            ),
            exists(
              selectFrom('graph_subscriptions')
                .select('graph_subscriptions.owner_id')
                .whereRef('graph_subscriptions.owner_id', '=', 'channel_accounts.aad_object_id')
                .where(sameTenant('graph_subscriptions', 'channel_accounts')),
            ),
          ]),
        ),
      )
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}

/**
 * Deletes the references of conversations with no watches and no pending alert that last spoke
 * before `olderThan`; returns how many.
 */
export async function purgeIdleConversationReferences(
  db: StoreExecutor,
  olderThan: EpochMs,
): Promise<number> {
  const result = await storeOperation('purge idle conversation references', () =>
    db
      .deleteFrom('conversation_references')
      .where('updated_at', '<', olderThan)
      .where(({ not, exists, or, selectFrom }) =>
        not(
          or([
            exists(
              selectFrom('watches')
                .select('watches.id')
                .whereRef(
                  'watches.conversation_id',
                  '=',
                  'conversation_references.conversation_id',
                ),
            ),
            exists(
              selectFrom('alert_outbox')
                .select('alert_outbox.id')
                .whereRef(
                  'alert_outbox.conversation_id',
                  '=',
                  'conversation_references.conversation_id',
                )
                .where('alert_outbox.status', '=', 'pending'),
            ),
          ]),
        ),
      )
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}

/**
 * Deletes "sign in again" alerts cleared before `olderThan`, and those raised before it for people
 * who no longer watch anyone; returns how many.
 */
export async function purgeSettledSigninAlerts(
  db: StoreExecutor,
  olderThan: EpochMs,
): Promise<number> {
  const result = await storeOperation('purge settled sign-in alerts', () =>
    db
      .deleteFrom('user_signin_alerts')
      .where((eb) =>
        eb.or([
          eb('cleared_at', '<', olderThan),
          eb.and([
            eb('raised_at', '<', olderThan),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('watches')
                  .select('watches.id')
                  .whereRef('watches.watcher_id', '=', 'user_signin_alerts.user_id')
                  .where(sameTenant('watches', 'user_signin_alerts')),
              ),
            ),
          ]),
        ]),
      )
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}

/**
 * Deletes notification keys retired before `olderThan` that no subscription names any more;
 * returns how many.
 */
export async function purgeRetiredEncryptionKeys(
  db: StoreExecutor,
  olderThan: EpochMs,
): Promise<number> {
  const result = await storeOperation('purge retired encryption keys', () =>
    db
      .deleteFrom('encryption_keys')
      .where('retired_at', '<', olderThan)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('graph_subscriptions')
              .select('graph_subscriptions.owner_id')
              .whereRef(
                'graph_subscriptions.certificate_id',
                '=',
                'encryption_keys.certificate_id',
              ),
          ),
        ),
      )
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}

/** Tenant ids compared without case (Teams and Graph spell the same GUID either way). */
function sameTenant(inner: string, outer: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(`${inner}.tenant_id`)}) = lower(${sql.ref(`${outer}.tenant_id`)})`;
}
