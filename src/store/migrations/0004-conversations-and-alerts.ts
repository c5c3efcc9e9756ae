import { sql, type Kysely } from 'kysely';
import type { MigrationDialect } from './migration-dialect';

/** Creates the stored conversation references and the outbox of alert cards. */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('conversation_references')
    .addColumn('conversation_id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('service_url', 'text', (col) => col.notNull())
    .addColumn('reference', 'text', (col) => col.notNull())
    .addColumn('conversation_type', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('updated_at', dialect.timestampType, (col) => col.notNull())
    .addCheckConstraint(
      'conversation_references_type_check',
      sql`conversation_type in ('personal', 'groupChat', 'channel')`,
    )
    .execute();
  await createAlertOutbox(db, dialect);
}

async function createAlertOutbox(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const ts = dialect.timestampType;
  await dialect
    .addIdColumn(db.schema.createTable('alert_outbox'), 'id')
    .addColumn('change_id', dialect.idReferenceType, (col) => col.notNull())
    .addColumn('conversation_id', 'text', (col) => col.notNull())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('target_id', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts, (col) => col.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ts)
    .addColumn('created_at', ts, (col) => col.notNull())
    .addColumn('sent_at', ts)
    .addColumn('last_error', 'text')
    .addUniqueConstraint('alert_outbox_change_conversation_unique', [
      'change_id',
      'conversation_id',
    ])
    .addCheckConstraint(
      'alert_outbox_status_check',
      sql`status in ('pending', 'sent', 'failed', 'dropped')`,
    )
    .execute();
  await db.schema
    .createIndex('alert_outbox_conversation_idx')
    .on('alert_outbox')
    .columns(['conversation_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('alert_outbox_due_idx')
    .on('alert_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_outbox').execute();
  await db.schema.dropTable('conversation_references').execute();
}
