import type { Kysely } from 'kysely';
import type { MigrationDialect } from './migration-dialect';

/** Creates the bot's turn-state storage (conversation and user state), shared by every instance. */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('bot_state')
    .addColumn('state_key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('etag', 'text', (col) => col.notNull())
    .addColumn('updated_at', dialect.timestampType, (col) => col.notNull())
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bot_state').execute();
}
