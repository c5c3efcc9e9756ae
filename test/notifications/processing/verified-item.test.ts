import assert from 'node:assert/strict';
import {
  toNotificationEvent,
  type VerifiedItem,
} from '../../../src/notifications/processing/verified-item';

const RECEIVED_AT = 1_800_000_000_000;

function presenceItem(resourceData: Record<string, unknown>): VerifiedItem {
  return {
    subscriptionId: 'sub-1',
    tenantId: 'tenant-1',
    changeType: 'updated',
    resource: 'communications/presences/alex',
    lifecycleEvent: null,
    subscriptionExpirationDateTime: null,
    resourceData: {
      '@odata.type': '#microsoft.graph.presence',
      id: 'alex',
      availability: 'Busy',
      activity: 'InACall',
      ...resourceData,
    },
  };
}

describe('toNotificationEvent', () => {
  it('carries a presence’s sequenceNumber exactly as Graph sent it', () => {
    assert.deepEqual(
      toNotificationEvent(presenceItem({ sequenceNumber: 'C1f0000000Ab' }), RECEIVED_AT),
      {
        type: 'presence',
        tenantId: 'tenant-1',
        subscriptionId: 'sub-1',
        receivedAt: RECEIVED_AT,
        userId: 'alex',
        availability: 'Busy',
        activity: 'InACall',
        sequenceNumber: 'C1f0000000Ab',
      },
    );
  });

  it('leaves out a missing, empty or non-string sequenceNumber', () => {
    for (const sequenceNumber of [undefined, '', 42, null, { value: '1' }]) {
      const event = toNotificationEvent(presenceItem({ sequenceNumber }), RECEIVED_AT);
      assert.equal(event.type, 'presence');
      assert.equal('sequenceNumber' in event, false, String(sequenceNumber));
    }
  });
});
