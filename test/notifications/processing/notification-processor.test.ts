import assert from 'node:assert/strict';
import { silentLogger } from '../../../src/logging/logger';
import {
  createContentDecryptor,
  type ContentDecryptor,
} from '../../../src/notifications/crypto/decrypt-pool';
import type { KeyRing } from '../../../src/notifications/keys/key-ring';
import {
  withClientStateDigest,
  type ChangeNotificationItem,
} from '../../../src/notifications/receiver/notification-envelope';
import {
  createNotificationProcessor,
  toNotificationEvent,
  type ItemOutcome,
  type NotificationProcessor,
  type VerifiedItem,
} from '../../../src/notifications/processing/notification-processor';
import { createValidationTokenVerifier } from '../../../src/notifications/tokens/validation-token-verifier';
import type { ValidationTokenIssuer } from '../../../tools/simulator/validation-token-issuer';
import { generatedKeyRing } from '../../helpers/generated-certificates';
import { richPresenceItem, type TestCertificate } from '../../helpers/notification-bodies';
import {
  APP_ID,
  TENANT_A,
  TENANT_B,
  countingKeySet,
  newIssuer,
} from '../../helpers/validation-token-test-kit';

const SUBSCRIPTION = 'sub-a';
const CLIENT_STATE = 'state-a-0123456789';
const RECEIVED_AT = 1_800_000_000_000;

describe('notification processor', () => {
  let issuer: ValidationTokenIssuer;
  let certificate: TestCertificate;
  let keyRing: KeyRing;
  let decryptor: ContentDecryptor;
  let processor: NotificationProcessor;

  before(async () => {
    issuer = await newIssuer();
    ({ keyRing, certificate } = await generatedKeyRing('processor'));
  });

  beforeEach(() => {
    decryptor = createContentDecryptor({ keyRing, threads: 0 });
    processor = createNotificationProcessor({
      verifier: createValidationTokenVerifier({
        keySet: countingKeySet(issuer).keySet,
        audiences: [APP_ID],
        logger: silentLogger(),
      }),
      decryptor,
      secrets: {
        clientStateFor: async (id) => (id === SUBSCRIPTION ? CLIENT_STATE : undefined),
      },
    });
  });

  afterEach(() => decryptor.close());

  const token = (tenantId: string): Promise<string> =>
    issuer.issue({ tenantId, audience: APP_ID, now: new Date() });
  const asStored = (item: ChangeNotificationItem): unknown => withClientStateDigest({ ...item });
  const encryptedPresence = (userId: string): ChangeNotificationItem =>
    richPresenceItem({
      subscriptionId: SUBSCRIPTION,
      clientState: CLIENT_STATE,
      tenantId: TENANT_A,
      userId,
      availability: 'Busy',
      activity: 'InACall',
      certificate,
    });
  const verifiedItemOf = (outcome: ItemOutcome | undefined): VerifiedItem => {
    if (outcome?.status !== 'verified')
      assert.fail(`expected a verified item, got ${outcome?.status}`);
    return outcome.item;
  };
  const rejectionCodes = (outcomes: ItemOutcome[]): string[] =>
    outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.error.code : 'accepted'));

  it('verifies a basic (unencrypted) presence item without the presence values it claims', async () => {
    const basic: ChangeNotificationItem = {
      subscriptionId: SUBSCRIPTION,
      clientState: CLIENT_STATE,
      changeType: 'updated',
      tenantId: TENANT_A,
      resource: 'communications/presences/alex',
      resourceData: {
        '@odata.type': '#microsoft.graph.presence',
        id: 'alex',
        availability: 'Available',
        activity: 'Available',
      },
    };
    const [outcome] = await processor.processBatch([asStored(basic)], []);
    const item = verifiedItemOf(outcome);
    assert.deepEqual(item.resourceData, { '@odata.type': '#microsoft.graph.presence', id: 'alex' });
    const event = toNotificationEvent(item, RECEIVED_AT);
    assert.equal(event.type, 'resource');
    assert.equal('availability' in event, false);
  });

  it('still takes presence from encrypted content a token of its tenant vouches for', async () => {
    const [outcome] = await processor.processBatch(
      [asStored(encryptedPresence('alex'))],
      [await token(TENANT_A)],
    );
    const event = toNotificationEvent(verifiedItemOf(outcome), RECEIVED_AT);
    assert.equal(event.type === 'presence' && `${event.userId}:${event.availability}`, 'alex:Busy');
  });

  it('rejects a batch whose encrypted item names no tenant, whatever valid token comes with it', async () => {
    const untenanted = { ...encryptedPresence('alex'), tenantId: undefined };
    const outcomes = await processor.processBatch(
      [asStored(untenanted), asStored({ ...encryptedPresence('megan'), tenantId: TENANT_B })],
      [await token(TENANT_B)],
    );
    assert.deepEqual(rejectionCodes(outcomes), [
      'VALIDATION_TOKEN_TENANT_MISMATCH',
      'VALIDATION_TOKEN_TENANT_MISMATCH',
    ]);
  });

  it('rejects a lone untenanted encrypted item carrying another tenant’s valid token', async () => {
    const untenanted = { ...encryptedPresence('alex'), tenantId: undefined };
    const outcomes = await processor.processBatch([asStored(untenanted)], [await token(TENANT_B)]);
    assert.deepEqual(rejectionCodes(outcomes), ['VALIDATION_TOKEN_TENANT_MISMATCH']);
  });
});

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
