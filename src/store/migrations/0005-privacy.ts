import type { Kysely } from 'kysely';
import type { MigrationDialect } from './migration-dialect';

/** Creates the opt-outs: people who asked that nobody watch their presence. */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('privacy_opt_outs')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('opted_out_at', dialect.timestampType, (col) => col.notNull())
    .addPrimaryKeyConstraint('privacy_opt_outs_pk', ['tenant_id', 'user_id'])
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('privacy_opt_outs').execute();
}
