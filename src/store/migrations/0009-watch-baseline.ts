import type { Kysely } from 'kysely';
import type { MigrationDialect } from './migration-dialect';

/**
 * Adds each watch's presence baseline: when the watching conversation was last shown the
 * person's presence. Changes observed until then are not news there (0 for existing watches).
 */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .alterTable('watches')
    .addColumn('baseline_at', dialect.timestampType, (col) => col.notNull().defaultTo(0))
    .execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('watches').dropColumn('baseline_at').execute();
}
