import type { Kysely } from 'kysely';

/**
 * Adds the watched person's display name as last seen (personal data, deleted with the watch):
 * alerts name them with it when a live lookup fails. NULL for existing watches (not known).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('watches').addColumn('target_name', 'text').execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('watches').dropColumn('target_name').execute();
}
