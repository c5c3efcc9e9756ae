import type { Kysely } from 'kysely';

/** Adds Graph's presence `sequenceNumber` to last-known presence (null when Graph sent none). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('presence_state').addColumn('sequence_number', 'text').execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('presence_state').dropColumn('sequence_number').execute();
}
