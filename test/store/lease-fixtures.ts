import assert from 'node:assert/strict';
import { enqueueAlert, claimDueAlerts, type NewAlert } from '../../src/store/alert-queue';
import type { Store } from '../../src/store/database-schema';
import { claimPending, appendBatch } from '../../src/store/inbox-queue';
import { claimPresenceChanges, insertPresenceChange } from '../../src/store/presence-change-queue';
import { claimCachePartition, replaceCachePartition } from '../../src/store/msal-token-cache';
import { markSubscriptionState } from '../../src/store/subscription-outcomes';
import { inboxBatch } from './inbox-fixtures';
import { claimAs, desire, LEASE_MS, NOW } from './subscription-fixtures';

/** The lease every fixture claim takes. */
export const claim = { leaseMs: LEASE_MS, now: NOW };

/** An alert, due now, that Alex became Available, for `conversationId`. */
export function alexAvailableAlert(conversationId: string): NewAlert {
  return {
    conversationId,
    tenantId: 't1',
    payload: {
      changeId: 1,
      targetId: 'alex',
      targetName: 'Alex',
      kind: 'availability',
      from: { availability: 'Away', activity: 'Away' },
      to: { availability: 'Available', activity: 'Available' },
      observedAt: NOW,
    },
    nextAttemptAt: NOW,
  };
}

/** Queues one row in every leased table and leases it to `owner`, as the workers would. */
export async function leaseOneOfEach(store: Store, owner: string): Promise<void> {
  const db = store.db;
  await appendBatch(db, inboxBatch([`item-${owner}`], NOW));
  assert.equal((await claimPending(db, { owner, limit: 10, ...claim })).length, 1);
  await insertPresenceChange(db, {
    tenantId: 't1',
    userId: `user-${owner}`,
    from: null,
    to: { availability: 'Available', activity: 'Available' },
    observedAt: NOW,
    source: 'notification',
    createdAt: NOW,
  });
  assert.equal((await claimPresenceChanges(store, { owner, limit: 10, ...claim })).length, 1);
  await enqueueAlert(db, alexAvailableAlert(`conversation-${owner}`), NOW);
  assert.equal((await claimDueAlerts(db, { owner, limit: 10, ...claim })).length, 1);
  await desire(db, `owner-${owner}`, ['alex']);
  const [subscription] = await claimAs(db, owner);
  assert.ok(subscription);
  const lease = { tenantId: 't1', ownerId: subscription.ownerId, leaseOwner: owner, now: NOW };
  assert.equal(await markSubscriptionState(db, lease, 'creating'), true);
  const partitionKey = `t1.user-${owner}`;
  await replaceCachePartition(db, { partitionKey, sealed: 'sealed', now: NOW });
  assert.equal(await claimCachePartition(db, { partitionKey, owner, ...claim }), 'claimed');
}
