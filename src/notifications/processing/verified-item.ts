import type { NotificationEvent, PresenceChangedEvent } from '../notification-events';
import { isRecord } from '../receiver/notification-envelope';

/** A notification item that passed every check, with its resource data decrypted. */
export interface VerifiedItem {
  subscriptionId: string;
  tenantId: string | null;
  changeType: string | null;
  resource: string | null;
  lifecycleEvent: string | null;
  subscriptionExpirationDateTime: string | null;
  resourceData: Record<string, unknown> | null;
}

const PRESENCE_RESOURCE = /^\/?communications\/presences\/([^/?]+)/i;

/** Derives the typed event a verified item stands for. */
export function toNotificationEvent(item: VerifiedItem, receivedAt: number): NotificationEvent {
  const base = { tenantId: item.tenantId, subscriptionId: item.subscriptionId, receivedAt };
  if (item.lifecycleEvent) {
    return {
      ...base,
      type: 'lifecycle',
      lifecycleEvent: item.lifecycleEvent,
      subscriptionExpirationDateTime: item.subscriptionExpirationDateTime,
    };
  }
  const presence = presenceOf(item);
  if (presence) return { ...base, type: 'presence', ...presence };
  return {
    ...base,
    type: 'resource',
    changeType: item.changeType,
    resource: item.resource,
    resourceData: item.resourceData,
  };
}

type PresenceFields = Pick<
  PresenceChangedEvent,
  'userId' | 'availability' | 'activity' | 'sequenceNumber'
>;

function presenceOf(item: VerifiedItem): PresenceFields | null {
  const data = item.resourceData;
  if (!isRecord(data) || typeof data.availability !== 'string') return null;
  const odataType =
    typeof data['@odata.type'] === 'string' ? data['@odata.type'].toLowerCase() : '';
  const fromResource = item.resource ? PRESENCE_RESOURCE.exec(item.resource)?.[1] : undefined;
  if (odataType !== '#microsoft.graph.presence' && !fromResource) return null;
  const userId = typeof data.id === 'string' && data.id ? data.id : fromResource;
  if (!userId) return null;
  const fields: PresenceFields = {
    userId,
    availability: data.availability,
    activity: typeof data.activity === 'string' ? data.activity : null,
  };
  if (typeof data.sequenceNumber === 'string' && data.sequenceNumber.length > 0) {
    fields.sequenceNumber = data.sequenceNumber;
  }
  return fields;
}
