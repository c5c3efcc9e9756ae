import type { Kysely } from 'kysely';

/** Indexes a person's changes in order, for the fan-out's "earlier change still in flight" check. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('presence_changes_person_idx')
    .on('presence_changes')
    .columns(['tenant_id', 'user_id', 'id'])
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('presence_changes_person_idx').execute();
}
