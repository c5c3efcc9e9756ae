import type { StoreExecutor } from '../../src/store/database-schema';
import { upsertConversationReference } from '../../src/store/conversation-references';
import { applyPresenceObservation } from '../../src/store/presence-state';
import type { StoreKeyRing } from '../../src/store/store-keys';
import { sealClientState } from '../../src/store/subscription-secrets';
import { upsertWatch } from '../../src/store/watches';

/** The tenant, watcher and subscription the alert rig's notifications come from. */
export const RIG = {
  appId: '11111111-2222-3333-4444-555555555555',
  ownerId: 'aaaaaaaa-0000-4000-8000-000000000001',
  clientState: 'alert-rig-client-state-0123456789abcdef0123456789',
} as const;

/** Tenant number `tenant`'s id. */
export function tenantId(tenant: number): string {
  return `66666666-7777-4888-9999-${String(tenant).padStart(12, '0')}`;
}

/** The Graph id of tenant number `tenant`'s one subscription. */
export function subscriptionId(tenant: number): string {
  return `alert-rig-subscription-${tenant}`;
}

/** The tenant of person `index` when people are dealt round-robin over `tenants` tenants. */
export function tenantOf(index: number, tenants: number): number {
  return index % tenants;
}

const SEEN_BEFORE_MS = 10 * 60_000;

/** Person `index`'s Entra id. */
export function personId(index: number): string {
  return `bbbbbbbb-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

/** The personal chat where person `index` is watched (one watch a conversation). */
export function conversationOf(index: number): string {
  return `a:alert-rig-${index}`;
}

/**
 * Stores, for each person, a personal chat posting to `serviceUrl`, a watch in it, and a presence
 * (Away) observed long ago; and per tenant one live subscription covering its people with a known
 * clientState.
 */
export async function seedAlertRig(
  db: StoreExecutor,
  storeKey: StoreKeyRing,
  shape: { people: number; tenants: number },
  serviceUrl: string,
): Promise<void> {
  const now = Date.now();
  for (let index = 0; index < shape.people; index += 1) {
    const tenant = tenantId(tenantOf(index, shape.tenants));
    const userId = personId(index);
    await seedPerson(db, index, tenant, serviceUrl, now);
    await applyPresenceObservation(db, {
      tenantId: tenant,
      userId,
      availability: 'Away',
      activity: 'Away',
      observedAt: now - SEEN_BEFORE_MS,
      source: 'resync',
    });
  }
  for (let tenant = 0; tenant < shape.tenants; tenant += 1) {
    const ids = Array.from({ length: shape.people }, (_, index) => index)
      .filter((index) => tenantOf(index, shape.tenants) === tenant)
      .map(personId);
    await seedSubscription(db, storeKey, tenant, ids, now);
  }
}

async function seedSubscription(
  db: StoreExecutor,
  storeKey: StoreKeyRing,
  tenant: number,
  ids: string[],
  now: number,
): Promise<void> {
  const covered = JSON.stringify(ids.sort());
  await db
    .insertInto('graph_subscriptions')
    .values({
      tenant_id: tenantId(tenant),
      owner_id: RIG.ownerId,
      graph_subscription_id: subscriptionId(tenant),
      covered_ids: covered,
      desired_ids: covered,
      client_state_sealed: sealClientState(
        storeKey,
        RIG.clientState,
        tenantId(tenant),
        RIG.ownerId,
      ),
      certificate_id: null,
      expires_at: now + 3_600_000,
      state: 'active',
      last_error_code: null,
      next_action_at: now + 3_600_000,
      lease_owner: null,
      lease_until: null,
      dirty_since: null,
      updated_at: now,
    })
    .execute();
}

async function seedPerson(
  db: StoreExecutor,
  index: number,
  tenant: string,
  serviceUrl: string,
  now: number,
): Promise<void> {
  const conversationId = conversationOf(index);
  const conversation = {
    id: conversationId,
    isGroup: false,
    conversationType: 'personal',
    tenantId: tenant,
    name: '',
  };
  await upsertConversationReference(
    db,
    {
      conversationId,
      tenantId: tenant,
      serviceUrl,
      conversationType: 'personal',
      name: null,
      reference: {
        serviceUrl,
        channelId: 'msteams',
        conversation,
        bot: { id: '28:bot', name: 'Presence Watch' },
        user: { id: '29:user', name: 'User' },
      },
    },
    now,
  );
  await upsertWatch(
    db,
    {
      tenantId: tenant,
      conversationId,
      watcherId: RIG.ownerId,
      targetId: personId(index),
      onlyWhenAvailable: false,
      once: false,
      includeActivity: false,
    },
    now,
  );
}
