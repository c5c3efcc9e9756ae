import { randomBytes } from 'node:crypto';
import type { SubscriptionSecrets } from '../notifications/receiver/subscription-gate';
import type { StoreExecutor } from './database-schema';
import { normalizeEntraId } from './entra-ids';
import { openSecret, sealSecret } from './secret-box';
import { storeOperation } from './store-failure';
import type { StoreKeyRing } from './store-keys';

const CLIENT_STATE_BYTES = 32;

/** A fresh clientState for a new Graph subscription: 32 random bytes, base64url (43 characters). */
export function generateClientState(): string {
  return randomBytes(CLIENT_STATE_BYTES).toString('base64url');
}

/** The secret-box context of an owner's clientState: a sealed value only opens on its own row. */
export function clientStateContext(tenantId: string, ownerId: string): string {
  return `graph_subscriptions:${tenantId}:${normalizeEntraId(ownerId)}`;
}

/** Seals a clientState for an owner's row. */
export function sealClientState(
  storeKey: StoreKeyRing,
  clientState: string,
  tenantId: string,
  ownerId: string,
): string {
  return sealSecret(storeKey, clientState, clientStateContext(tenantId, ownerId));
}

/** The clientState of the subscription Graph knows by this id, or undefined when we do not know it. */
export async function clientStateForGraphSubscription(
  db: StoreExecutor,
  storeKey: StoreKeyRing,
  graphSubscriptionId: string,
): Promise<string | undefined> {
  const row = await storeOperation('read subscription client state', () =>
    db
      .selectFrom('graph_subscriptions')
      .select(['tenant_id', 'owner_id', 'client_state_sealed'])
      .where('graph_subscription_id', '=', graphSubscriptionId)
      .executeTakeFirst(),
  );
  if (!row?.client_state_sealed) return undefined;
  const context = clientStateContext(row.tenant_id, row.owner_id);
  return openSecret(storeKey, row.client_state_sealed, context).toString('utf8');
}

/** The receiver's clientState lookup, read from the store on every call (an indexed lookup). */
export function createStoredSubscriptionSecrets(
  db: StoreExecutor,
  storeKey: StoreKeyRing,
): SubscriptionSecrets {
  return {
    clientStateFor: (subscriptionId) =>
      clientStateForGraphSubscription(db, storeKey, subscriptionId),
  };
}

/** The Graph ids of every subscription we hold a clientState for: the receiver gate's list. */
export async function listGraphSubscriptionIds(db: StoreExecutor): Promise<string[]> {
  const rows = await storeOperation('list graph subscription ids', () =>
    db
      .selectFrom('graph_subscriptions')
      .select('graph_subscription_id')
      .where('graph_subscription_id', 'is not', null)
      .where('client_state_sealed', 'is not', null)
      .execute(),
  );
  return rows.flatMap((row) => (row.graph_subscription_id ? [row.graph_subscription_id] : []));
}
