import { createHash, randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { EpochMs, StoreExecutor } from './database-schema';
import { openSecret, sealSecret } from './secret-box';
import { storeOperation } from './store-failure';
import type { StoreKeyRing } from './store-keys';

const KEY_PREFIX = 'auth-code/';

/** How long a sign-in link and its redirect stay usable. */
export const PENDING_SIGN_IN_TTL_MS = 10 * 60 * 1000;

/** An authorization-code sign-in in flight: who asked, where to answer, and (once started) the PKCE verifier. */
export interface PendingSignIn {
  readonly tenantId: string;
  readonly aadObjectId: string;
  readonly channelUserId: string;
  readonly reference: Partial<ConversationReference>;
  readonly createdAt: EpochMs;
  /** The user's principal name for Entra's `login_hint`, when the channel told it. */
  readonly loginHint?: string;
  readonly codeVerifier?: string;
}

function keyOf(state: string): string {
  return KEY_PREFIX + createHash('sha256').update(state, 'utf8').digest('base64url');
}

function seal(ring: StoreKeyRing, key: string, record: PendingSignIn): string {
  return JSON.stringify({ sealed: sealSecret(ring, JSON.stringify(record), `bot_state:${key}`) });
}

function open(
  ring: StoreKeyRing,
  key: string,
  value: string,
  now: EpochMs,
): PendingSignIn | undefined {
  const { sealed } = JSON.parse(value) as { sealed: string };
  const record = JSON.parse(
    openSecret(ring, sealed, `bot_state:${key}`).toString('utf8'),
  ) as PendingSignIn;
  return now - record.createdAt < PENDING_SIGN_IN_TTL_MS ? record : undefined;
}

/** Keeps a new pending sign-in under `state` (sealed: it will hold the PKCE verifier). */
export async function savePendingSignIn(
  db: StoreExecutor,
  ring: StoreKeyRing,
  state: string,
  record: PendingSignIn,
): Promise<void> {
  const key = keyOf(state);
  await storeOperation('save pending sign-in', () =>
    db
      .insertInto('bot_state')
      .values({
        state_key: key,
        value: seal(ring, key, record),
        etag: randomUUID(),
        updated_at: record.createdAt,
      })
      .execute(),
  );
}

/** The pending sign-in under `state`, undefined when unknown, used or expired. */
export async function findPendingSignIn(
  db: StoreExecutor,
  ring: StoreKeyRing,
  state: string,
  now: EpochMs,
): Promise<PendingSignIn | undefined> {
  const key = keyOf(state);
  const row = await storeOperation('read pending sign-in', () =>
    db.selectFrom('bot_state').select('value').where('state_key', '=', key).executeTakeFirst(),
  );
  return row ? open(ring, key, row.value, now) : undefined;
}

/** Stores the verifier of the code flow the link started; undefined when the state is unknown or expired. */
export async function attachCodeVerifier(
  db: StoreExecutor,
  ring: StoreKeyRing,
  state: string,
  codeVerifier: string,
  now: EpochMs,
): Promise<PendingSignIn | undefined> {
  const key = keyOf(state);
  const record = await findPendingSignIn(db, ring, state, now);
  if (!record) return undefined;
  const updated = { ...record, codeVerifier };
  await storeOperation('start pending sign-in', () =>
    db
      .updateTable('bot_state')
      .set({ value: seal(ring, key, updated), etag: randomUUID(), updated_at: now })
      .where('state_key', '=', key)
      .execute(),
  );
  return updated;
}

/** Removes and returns the pending sign-in (single use, on any instance); undefined when unknown, used or expired. */
export async function takePendingSignIn(
  db: StoreExecutor,
  ring: StoreKeyRing,
  state: string,
  now: EpochMs,
): Promise<PendingSignIn | undefined> {
  const key = keyOf(state);
  const row = await storeOperation('take pending sign-in', () =>
    db.deleteFrom('bot_state').where('state_key', '=', key).returning('value').executeTakeFirst(),
  );
  return row ? open(ring, key, row.value, now) : undefined;
}
