import type { Kysely } from 'kysely';
import type { MigrationDialect } from './migration-dialect';

/**
 * Adds MSAL's token cache for `SIGN_IN_MODE=msal`: one sealed partition per user, a lease that
 * serialises background token requests per user across instances, and a version that every write
 * compares and bumps (so a writer whose lease lapsed never overwrites a newer cache).
 */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('msal_token_cache')
    .addColumn('partition_key', 'text', (col) => col.primaryKey())
    .addColumn('cache_sealed', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('updated_at', dialect.timestampType, (col) => col.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', dialect.timestampType)
    .execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('msal_token_cache').execute();
}
