import { sql, type Kysely } from 'kysely';
import type { MigrationDialect } from './migration-dialect';

/** Creates watches, per-user Graph subscriptions, last-known presence, its change outbox and sign-in alerts. */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await createWatches(db, dialect);
  await createGraphSubscriptions(db, dialect);
  await createPresenceTables(db, dialect);
  await db.schema
    .createTable('user_signin_alerts')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('raised_at', dialect.timestampType, (col) => col.notNull())
    .addColumn('cleared_at', dialect.timestampType)
    .addPrimaryKeyConstraint('user_signin_alerts_pk', ['tenant_id', 'user_id'])
    .execute();
}

async function createWatches(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await dialect
    .addIdColumn(db.schema.createTable('watches'), 'id')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('conversation_id', 'text', (col) => col.notNull())
    .addColumn('watcher_id', 'text', (col) => col.notNull())
    .addColumn('target_id', 'text', (col) => col.notNull())
    .addColumn('only_when_available', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('once', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('include_activity', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', dialect.timestampType, (col) => col.notNull())
    .addUniqueConstraint('watches_conversation_target_unique', ['conversation_id', 'target_id'])
    .addCheckConstraint(
      'watches_flags_check',
      sql`only_when_available in (0, 1) and once in (0, 1) and include_activity in (0, 1)`,
    )
    .execute();
  await db.schema
    .createIndex('watches_watcher_idx')
    .on('watches')
    .columns(['tenant_id', 'watcher_id'])
    .execute();
  await db.schema
    .createIndex('watches_target_idx')
    .on('watches')
    .columns(['tenant_id', 'target_id'])
    .execute();
}

async function createGraphSubscriptions(
  db: Kysely<unknown>,
  dialect: MigrationDialect,
): Promise<void> {
  const ts = dialect.timestampType;
  await db.schema
    .createTable('graph_subscriptions')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('graph_subscription_id', 'text')
    .addColumn('covered_ids', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('desired_ids', 'text', (col) => col.notNull())
    .addColumn('client_state_sealed', 'text')
    .addColumn('certificate_id', 'text')
    .addColumn('expires_at', ts)
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('last_error_code', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_action_at', ts, (col) => col.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ts)
    .addColumn('dirty_since', ts)
    .addColumn('updated_at', ts, (col) => col.notNull())
    .addPrimaryKeyConstraint('graph_subscriptions_pk', ['tenant_id', 'owner_id'])
    .addUniqueConstraint('graph_subscriptions_graph_id_unique', ['graph_subscription_id'])
    .addCheckConstraint(
      'graph_subscriptions_state_check',
      sql`state in ('creating', 'active', 'renewing', 'failed-auth', 'failed', 'deleting')`,
    )
    .execute();
  await db.schema
    .createIndex('graph_subscriptions_due_idx')
    .on('graph_subscriptions')
    .column('next_action_at')
    .execute();
}

async function createPresenceTables(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const ts = dialect.timestampType;
  await db.schema
    .createTable('presence_state')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('availability', 'text', (col) => col.notNull())
    .addColumn('activity', 'text', (col) => col.notNull())
    .addColumn('observed_at', ts, (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('presence_state_pk', ['tenant_id', 'user_id'])
    .execute();
  await dialect
    .addIdColumn(db.schema.createTable('presence_changes'), 'id')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('from_availability', 'text')
    .addColumn('from_activity', 'text')
    .addColumn('to_availability', 'text', (col) => col.notNull())
    .addColumn('to_activity', 'text', (col) => col.notNull())
    .addColumn('observed_at', ts, (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('created_at', ts, (col) => col.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ts)
    .addColumn('consumed_at', ts)
    .addCheckConstraint('presence_changes_source_check', sql`source in ('notification', 'resync')`)
    .execute();
  await db.schema
    .createIndex('presence_changes_pending_idx')
    .on('presence_changes')
    .columns(['consumed_at', 'id'])
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'user_signin_alerts',
    'presence_changes',
    'presence_state',
    'graph_subscriptions',
    'watches',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
