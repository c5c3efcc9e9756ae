import assert from 'node:assert/strict';
import type { JWTVerifyGetKey } from 'jose';
import { AppError } from '../../../src/errors/app-error';
import { createLogger, silentLogger } from '../../../src/logging/logger';
import {
  createContentDecryptor,
  type ContentDecryptor,
} from '../../../src/notifications/crypto/decrypt-pool';
import type { KeyRing } from '../../../src/notifications/keys/key-ring';
import {
  createNotificationProcessor,
  type NotificationEvent,
} from '../../../src/notifications/processing/notification-processor';
import {
  createInboxWorker,
  type InboxWorker,
} from '../../../src/notifications/processing/inbox-worker';
import { parseEnvelope } from '../../../src/notifications/receiver/notification-envelope';
import { createValidationTokenVerifier } from '../../../src/notifications/tokens/validation-token-verifier';
import type { ValidationTokenIssuer } from '../../../tools/simulator/validation-token-issuer';
import { appendBatch, countByStatus } from '../../../src/store/inbox-queue';
import { forEachEngine } from '../../helpers/for-each-engine';
import { generatedKeyRing } from '../../helpers/generated-certificates';
import {
  lifecycleItem,
  richPresenceItem,
  type TestCertificate,
} from '../../helpers/notification-bodies';
import {
  APP_ID,
  TENANT_A,
  TENANT_B,
  countingKeySet,
  newIssuer,
} from '../../helpers/validation-token-test-kit';

const SECRETS: Record<string, string> = {
  'sub-a': 'state-a-0123456789',
  'sub-b': 'state-b-0123456789',
};

forEachEngine('inbox worker', (fixture) => {
  let issuer: ValidationTokenIssuer;
  let certificate: TestCertificate;
  let keyRing: KeyRing;
  let clock: number;
  let events: NotificationEvent[];
  let handledBy: string[];
  let sinkFailures: number;
  let keySet: JWTVerifyGetKey;
  let decryptor: ContentDecryptor;
  let worker: InboxWorker;
  let workerLogs: Record<string, unknown>[];

  before(async () => {
    issuer = await newIssuer();
    ({ keyRing, certificate } = await generatedKeyRing('worker'));
  });

  beforeEach(() => {
    clock = Date.now();
    events = [];
    handledBy = [];
    workerLogs = [];
    sinkFailures = 0;
    keySet = countingKeySet(issuer).keySet;
    decryptor = createContentDecryptor({ keyRing, threads: 0 });
    worker = workerAs('test-worker');
  });

  const workerAs = (owner: string): InboxWorker =>
    createInboxWorker({
      db: fixture.store.db,
      processor: createNotificationProcessor({
        verifier: createValidationTokenVerifier({
          keySet: (header, token) => keySet(header, token),
          audiences: [APP_ID],
          now: () => new Date(clock),
          logger: silentLogger(),
        }),
        decryptor,
        secrets: { clientStateFor: async (id) => SECRETS[id] },
      }),
      sink: {
        handle: async (batch) => {
          if (sinkFailures > 0) {
            sinkFailures -= 1;
            throw new Error('simulated crash before commit');
          }
          events.push(...batch);
          handledBy.push(owner);
        },
      },
      logger: createLogger({
        level: 'warn',
        format: 'json',
        destination: { write: (line: string) => workerLogs.push(JSON.parse(line)) },
      }),
      owner,
      now: () => clock,
      leaseMs: 30_000,
      retryDelayMs: 5_000,
      maxAttempts: 3,
    });

  afterEach(() => decryptor.close());

  const token = (tenantId = TENANT_A): Promise<string> =>
    issuer.issue({ tenantId, audience: APP_ID, now: new Date(clock) });
  const presence = (
    userId: string,
    overrides: Partial<{
      subscriptionId: string;
      clientState: string;
      tenantId: string;
      availability: string;
      sequenceNumber: string;
    }> = {},
  ) =>
    richPresenceItem({
      subscriptionId: 'sub-a',
      clientState: SECRETS['sub-a'] as string,
      tenantId: TENANT_A,
      userId,
      availability: 'Available',
      activity: 'Available',
      certificate,
      ...overrides,
    });
  const receive = async (body: unknown): Promise<void> => {
    const envelope = parseEnvelope(Buffer.from(JSON.stringify(body)));
    await appendBatch(fixture.store.db, {
      receivedAt: clock,
      validationTokens: envelope.validationTokens,
      items: envelope.items,
    });
  };
  const rejectedCodes = async (): Promise<string[]> =>
    (
      await fixture.store.db
        .selectFrom('notification_inbox')
        .select('error_code')
        .where('status', '=', 'rejected')
        .orderBy('id')
        .execute()
    ).map((row) => row.error_code ?? '');

  it('handles every item of a mixed batch: presence, lifecycle, forged clientState, unknown subscription', async () => {
    await receive({
      value: [
        presence('alex', { availability: 'BeRightBack' }),
        lifecycleItem('sub-a', SECRETS['sub-a'] as string, TENANT_A, 'reauthorizationRequired'),
        presence('megan', { clientState: 'forged' }),
        presence('adele', { subscriptionId: 'sub-unknown' }),
        presence('isaiah', {
          subscriptionId: 'sub-b',
          clientState: SECRETS['sub-b'] as string,
          availability: 'Focusing',
        }),
      ],
      validationTokens: [await token()],
    });
    assert.equal(await worker.drainOnce(), 5);
    const byType = events.map((event) =>
      event.type === 'presence'
        ? `${event.userId}:${event.availability}:${event.activity}`
        : event.type,
    );
    assert.deepEqual(byType.sort(), [
      'alex:BeRightBack:Available',
      'isaiah:Focusing:Available',
      'lifecycle',
    ]);
    const lifecycle = events.find((event) => event.type === 'lifecycle');
    assert.equal(
      lifecycle?.type === 'lifecycle' && lifecycle.lifecycleEvent,
      'reauthorizationRequired',
    );
    assert.deepEqual(await rejectedCodes(), ['CLIENT_STATE_MISMATCH', 'SUBSCRIPTION_UNKNOWN']);
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 0, done: 3, rejected: 2 });
  });

  it('leaves an item to the worker that re-claimed it after our lease expired: it hands the event over, once', async () => {
    await receive({ value: [presence('alex')], validationTokens: [await token()] });
    const other = workerAs('other-worker');
    const keys = keySet;
    let otherClaimed: () => void = () => undefined;
    const claimedByOther = new Promise<void>((resolve) => (otherClaimed = resolve));
    let weFinished: () => void = () => undefined;
    const finishedByUs = new Promise<void>((resolve) => (weFinished = resolve));
    let otherDrain: Promise<number> | undefined;
    keySet = async (header, jwt) => {
      if (otherDrain === undefined) {
        clock += 30_000;
        otherDrain = other.drainOnce();
        await claimedByOther;
      } else {
        otherClaimed();
        await finishedByUs;
      }
      return keys(header, jwt);
    };
    assert.equal(await worker.drainOnce(), 1);
    weFinished();
    assert.equal(await otherDrain, 1);
    assert.deepEqual(
      events.map((event) => event.type === 'presence' && event.userId),
      ['alex'],
    );
    assert.deepEqual(handledBy, ['other-worker'], 'handed over by the lease holder');
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 0, done: 1, rejected: 0 });
    assert.ok(workerLogs.some((line) => String(line.msg).includes('re-claimed by another worker')));
  });

  it('carries the decrypted presence’s sequenceNumber into the event', async () => {
    await receive({
      value: [presence('alex', { sequenceNumber: '01A2B3C4D5E6000001' }), presence('megan')],
      validationTokens: [await token()],
    });
    assert.equal(await worker.drainOnce(), 2);
    const sequences = events.map((event) =>
      event.type === 'presence' ? [event.userId, event.sequenceNumber] : [event.type],
    );
    assert.deepEqual(sequences.sort(), [
      ['alex', '01A2B3C4D5E6000001'],
      ['megan', undefined],
    ]);
  });

  it('says when the running worker has drained the backlog', async () => {
    await receive({ value: [presence('alex')], validationTokens: [await token()] });
    let drained = false;
    void worker.drained().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(drained, false, 'not before the worker runs');
    worker.start();
    await worker.drained();
    await worker.stop();
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 0, done: 1, rejected: 0 });
    assert.equal(events.length, 1);
  });

  it('accepts a batch spanning two tenants with a token for each', async () => {
    await receive({
      value: [presence('alex'), presence('nestor', { tenantId: TENANT_B })],
      validationTokens: [await token(), await token(TENANT_B)],
    });
    await worker.drainOnce();
    assert.deepEqual(events.map((event) => event.tenantId).sort(), [TENANT_A, TENANT_B].sort());
  });

  it('drops the whole batch when one token is bad or a tenant is not covered', async () => {
    const forged = await issuer.issue({
      tenantId: TENANT_B,
      audience: 'another-app',
      now: new Date(clock),
    });
    await receive({
      value: [presence('alex'), presence('nestor', { tenantId: TENANT_B })],
      validationTokens: [await token(), forged],
    });
    await receive({
      value: [presence('lynne'), presence('diego', { tenantId: TENANT_B })],
      validationTokens: [await token()],
    });
    await receive({ value: [presence('patti')] });
    await worker.drainOnce();
    assert.deepEqual(events, []);
    assert.deepEqual(await rejectedCodes(), [
      'VALIDATION_TOKEN_INVALID',
      'VALIDATION_TOKEN_INVALID',
      'VALIDATION_TOKEN_TENANT_MISMATCH',
      'VALIDATION_TOKEN_TENANT_MISMATCH',
      'VALIDATION_TOKENS_MISSING',
    ]);
  });

  it('logs the rejections of a claim as one line of counts, not one per item', async () => {
    const foreign = await newIssuer();
    const forgedToken = await foreign.issue({
      tenantId: TENANT_A,
      audience: APP_ID,
      now: new Date(clock),
    });
    const forgedItems = Array.from({ length: 40 }, (_, i) => presence(`user-${i}`));
    await receive({ value: forgedItems, validationTokens: [forgedToken] });
    await receive({ value: [presence('patti'), presence('lynne')] });
    await worker.drainOnce();
    assert.equal(workerLogs.length, 1, JSON.stringify(workerLogs));
    assert.deepEqual(workerLogs[0]?.rejected, {
      VALIDATION_TOKEN_INVALID: 40,
      VALIDATION_TOKENS_MISSING: 2,
    });
  });

  it('rejects tampered encrypted content with the opaque decryption error', async () => {
    const item = presence('alex');
    const content = item.encryptedContent as NonNullable<typeof item.encryptedContent>;
    item.encryptedContent = { ...content, data: Buffer.from('x'.repeat(32)).toString('base64') };
    await receive({ value: [item], validationTokens: [await token()] });
    await worker.drainOnce();
    assert.deepEqual(await rejectedCodes(), ['DECRYPTION_FAILED']);
  });

  it('processes a notification Graph delivered twice once', async () => {
    const body = { value: [presence('alex')], validationTokens: [await token()] };
    await receive(body);
    await worker.drainOnce();
    await receive(body);
    await worker.drainOnce();
    assert.equal(events.length, 1);
  });

  it('loses nothing when it crashes between decrypting and committing', async () => {
    await receive({
      value: [
        presence('alex'),
        presence('megan'),
        lifecycleItem('sub-a', SECRETS['sub-a'] as string, TENANT_A, 'missed'),
      ],
      validationTokens: [await token()],
    });
    sinkFailures = 1;
    await assert.rejects(worker.drainOnce(), /simulated crash/);
    assert.deepEqual(events, []);
    assert.equal(await worker.drainOnce(), 0, 'leased items wait for the lease to lapse');
    clock += 31_000;
    assert.equal(await worker.drainOnce(), 3);
    assert.equal(events.length, 3);
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 0, done: 3, rejected: 0 });
  });

  it('keeps items for later while the signing keys cannot be fetched, then processes them', async () => {
    const working = keySet;
    keySet = async () => {
      throw new AppError('JWKS_UNAVAILABLE');
    };
    await receive({ value: [presence('alex')], validationTokens: [await token()] });
    await worker.drainOnce();
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 1, done: 0, rejected: 0 });
    keySet = working;
    assert.equal(await worker.drainOnce(), 0, 'the retry waits for its delay');
    clock += 5_001;
    await worker.drainOnce();
    assert.equal(events.length, 1);
  });

  it('gives up on an item after too many attempts instead of retrying it forever', async () => {
    keySet = async () => {
      throw new AppError('JWKS_UNAVAILABLE');
    };
    await receive({ value: [presence('alex')], validationTokens: [await token()] });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await worker.drainOnce();
      clock += 5_001;
    }
    assert.deepEqual(await countByStatus(fixture.store.db), { pending: 0, done: 0, rejected: 1 });
    assert.deepEqual(await rejectedCodes(), ['NOTIFICATION_REJECTED']);
  });
});
