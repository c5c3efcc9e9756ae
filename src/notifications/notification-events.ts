/** A person's presence changed, as reported by a verified (and decrypted) notification. */
export interface PresenceChangedEvent {
  type: 'presence';
  tenantId: string | null;
  userId: string;
  availability: string;
  activity: string | null;
  /** Graph's lexicographically sortable version of this presence, when the content carried one. */
  sequenceNumber?: string;
  subscriptionId: string;
  receivedAt: number;
}

/** A subscription lifecycle event: reauthorizationRequired, subscriptionRemoved, missed, or a new one. */
export interface LifecycleEvent {
  type: 'lifecycle';
  lifecycleEvent: string;
  tenantId: string | null;
  subscriptionId: string;
  subscriptionExpirationDateTime: string | null;
  receivedAt: number;
}

/** A verified change to a resource other than presence. */
export interface ResourceChangedEvent {
  type: 'resource';
  tenantId: string | null;
  subscriptionId: string;
  changeType: string | null;
  resource: string | null;
  resourceData: Record<string, unknown> | null;
  receivedAt: number;
}

/** Everything the notification worker emits. */
export type NotificationEvent = PresenceChangedEvent | LifecycleEvent | ResourceChangedEvent;
