import type { Kysely } from 'kysely';
import type { MigrationDialect } from './migration-dialect';

/** Creates the map from Entra users to the channel account their delegated token is stored under. */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('channel_accounts')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('aad_object_id', 'text', (col) => col.notNull())
    .addColumn('channel_user_id', 'text', (col) => col.notNull())
    .addColumn('channel_id', 'text', (col) => col.notNull())
    .addColumn('updated_at', dialect.timestampType, (col) => col.notNull())
    .addPrimaryKeyConstraint('channel_accounts_pk', ['tenant_id', 'aad_object_id'])
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_accounts').execute();
}
