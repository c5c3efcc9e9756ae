import { sql, type Kysely } from 'kysely';
import type { MigrationDialect } from './migration-dialect';

/** Creates the notification inbox (batches and items) and the encryption key store. */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const ts = dialect.timestampType;
  await dialect
    .addIdColumn(db.schema.createTable('notification_batches'), 'id')
    .addColumn('received_at', ts, (col) => col.notNull())
    .addColumn('validation_tokens', 'text', (col) => col.notNull())
    .addColumn('payloads', 'text', (col) => col.notNull())
    .execute();

  await dialect
    .addIdColumn(db.schema.createTable('notification_inbox'), 'id')
    .addColumn('batch_id', dialect.idReferenceType, (col) =>
      col.notNull().references('notification_batches.id'),
    )
    .addColumn('dedupe_key', 'text', (col) => col.notNull())
    .addColumn('subscription_id', 'text')
    .addColumn('tenant_id', 'text')
    .addColumn('item_index', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
    .addColumn('error_code', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ts)
    .addColumn('received_at', ts, (col) => col.notNull())
    .addColumn('finished_at', ts)
    .addUniqueConstraint('notification_inbox_dedupe_key_unique', ['dedupe_key'])
    .addCheckConstraint(
      'notification_inbox_status_check',
      sql`status in ('pending', 'done', 'rejected')`,
    )
    .execute();
  await db.schema
    .createIndex('notification_inbox_claim_idx')
    .on('notification_inbox')
    .columns(['status', 'id'])
    .execute();
  await db.schema
    .createIndex('notification_inbox_batch_idx')
    .on('notification_inbox')
    .column('batch_id')
    .execute();

  await db.schema
    .createTable('encryption_keys')
    .addColumn('certificate_id', 'text', (col) => col.primaryKey())
    .addColumn('thumbprint', 'text', (col) => col.notNull())
    .addColumn('certificate_pem', 'text', (col) => col.notNull())
    .addColumn('private_key_sealed', 'text', (col) => col.notNull())
    .addColumn('created_at', ts, (col) => col.notNull())
    .addColumn('not_after', ts, (col) => col.notNull())
    .addColumn('retired_at', ts)
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('encryption_keys').execute();
  await db.schema.dropTable('notification_inbox').execute();
  await db.schema.dropTable('notification_batches').execute();
}
