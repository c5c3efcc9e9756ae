import assert from 'node:assert/strict';
import http from 'node:http';
import type { Server } from 'restify';
import { createLogger, silentLogger } from '../../../src/logging/logger';
import {
  createGroupCommitInbox,
  registerNotificationRoutes,
} from '../../../src/notifications/receiver/notification-routes';
import { clientStateDigest } from '../../../src/notifications/receiver/notification-envelope';
import {
  createSubscriptionGate,
  type SubscriptionGate,
} from '../../../src/notifications/receiver/subscription-gate';
import { closeServer, createHttpServer, listen } from '../../../src/server/http-server';
import { countByStatus } from '../../../src/store/inbox-queue';
import { forEachEngine } from '../../helpers/for-each-engine';

const MAX_BODY = 64 * 1024;

interface Reply {
  status: number;
  contentType: string | undefined;
  nosniff: string | undefined;
  retryAfter: string | undefined;
  body: string;
}

function post(
  port: number,
  pathAndQuery: string,
  body: Buffer | string,
  headers: http.OutgoingHttpHeaders = {},
  localAddress = '127.0.0.1',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: pathAndQuery,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'],
            nosniff: String(response.headers['x-content-type-options']),
            retryAfter: response.headers['retry-after'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const item = (n: number): Record<string, unknown> => ({
  subscriptionId: `sub-${n}`,
  clientState: 'state',
  tenantId: 'tenant',
  changeType: 'updated',
  resource: `communications/presences/user-${n}`,
});

/** Our subscriptions in these tests: sub-0 to sub-99, each with the clientState `state`. */
const SECRET = 'a-client-state-secret-1234567890';
const OUR_SUBSCRIPTIONS = Array.from({ length: 100 }, (_, n) => `sub-${n}`);

function testGate(): { gate: SubscriptionGate; listed: () => number } {
  let listed = 0;
  const gate = createSubscriptionGate({
    secrets: {
      clientStateFor: async (id) => {
        if (id === 'sub-secret') return SECRET;
        return OUR_SUBSCRIPTIONS.includes(id) ? 'state' : undefined;
      },
    },
    listSubscriptionIds: async () => {
      listed += 1;
      return [...OUR_SUBSCRIPTIONS, 'sub-secret'];
    },
    now: () => Date.now(),
  });
  return { gate, listed: () => listed };
}

forEachEngine('notification routes', (fixture) => {
  let server: Server;
  let port: number;
  let stored: number;
  let logLines: Record<string, unknown>[];
  let listed: () => number;

  beforeEach(async () => {
    stored = 0;
    logLines = [];
    const logger = createLogger({
      level: 'debug',
      format: 'json',
      destination: { write: (line: string) => logLines.push(JSON.parse(line)) },
    });
    const test = testGate();
    listed = test.listed;
    server = createHttpServer(silentLogger());
    registerNotificationRoutes(server, {
      inbox: createGroupCommitInbox(fixture.store.db),
      gate: test.gate,
      maxBodyBytes: MAX_BODY,
      logger,
      now: () => Date.now(),
      onStored: () => (stored += 1),
    });
    port = await listen(server, 0, '127.0.0.1');
  });

  afterEach(() => closeServer(server));

  describe('validation handshake', () => {
    const cases: [string, string, string][] = [
      [
        'form-encoded spaces and colons',
        'Validation%3a+Testing+client+application+reachability',
        'Validation: Testing client application reachability',
      ],
      ['an encoded plus', 'a%2Bb%3D%3D', 'a+b=='],
      ['unicode', '%E2%9C%93%20ok', '✓ ok'],
      ['markup', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', '<script>alert(1)</script>'],
      ['a long token', 'x'.repeat(4000), 'x'.repeat(4000)],
    ];
    for (const [name, encoded, decoded] of cases) {
      it(`echoes ${name} as text/plain, decoded and unmodified`, async () => {
        for (const path of ['/api/notifications', '/api/lifecycle']) {
          const reply = await post(port, `${path}?validationToken=${encoded}`, '', {
            'content-type': 'text/plain',
          });
          assert.equal(reply.status, 200);
          assert.match(reply.contentType ?? '', /^text\/plain/);
          assert.equal(reply.nosniff, 'nosniff');
          assert.equal(reply.body, decoded);
        }
      });
    }

    it('keeps other query parameters of the notification URL working', async () => {
      const reply = await post(
        port,
        '/api/notifications?tenant=contoso&validationToken=abc%20def',
        '',
      );
      assert.equal(reply.body, 'abc def');
    });
  });

  describe('intake', () => {
    it('stores every item of a batch and answers 202 with an empty body', async () => {
      const reply = await post(
        port,
        '/api/notifications',
        JSON.stringify({ value: [item(1), item(2), item(3)] }),
      );
      assert.equal(reply.status, 202);
      assert.equal(reply.body, '');
      assert.equal((await countByStatus(fixture.store.db)).pending, 3);
      assert.equal(stored, 1);
    });

    it('keeps only a digest of each clientState, never the secret itself', async () => {
      const secret = SECRET;
      const body = JSON.stringify({
        value: [{ ...item(1), subscriptionId: 'sub-secret', clientState: secret }],
      });
      assert.equal((await post(port, '/api/notifications', body)).status, 202);
      const batch = await fixture.store.db
        .selectFrom('notification_batches')
        .select('payloads')
        .executeTakeFirstOrThrow();
      assert.ok(!batch.payloads.includes(secret));
      assert.ok(batch.payloads.includes(clientStateDigest(secret)));
    });

    it('stores a redelivered batch once', async () => {
      const body = JSON.stringify({ value: [item(1), item(2)], validationTokens: ['t'] });
      assert.equal((await post(port, '/api/notifications', body)).status, 202);
      assert.equal((await post(port, '/api/lifecycle', body)).status, 202);
      assert.equal((await countByStatus(fixture.store.db)).pending, 2);
    });

    it('stores concurrent batches, each exactly once', async () => {
      const bodies = Array.from({ length: 20 }, (_, i) =>
        JSON.stringify({ value: [item(i * 2), item(i * 2 + 1)] }),
      );
      const replies = await Promise.all(
        bodies.map((body) => post(port, '/api/notifications', body)),
      );
      assert.ok(replies.every((reply) => reply.status === 202));
      assert.equal((await countByStatus(fixture.store.db)).pending, 40);
    });

    const garbage: [string, string][] = [
      ['not JSON', 'hello'],
      ['a JSON array', '[1,2]'],
      ['no value array', '{"value":"x"}'],
      ['an empty value array', '{"value":[]}'],
      ['items that are not objects', '{"value":[1,"two"]}'],
      ['non-string validation tokens', '{"value":[{"subscriptionId":"s"}],"validationTokens":[1]}'],
      ['deeply nested JSON', '['.repeat(50_000)],
      ['empty', ''],
    ];
    for (const [name, body] of garbage) {
      it(`answers 202 to ${name} and stores nothing`, async () => {
        const reply = await post(port, '/api/notifications', body);
        assert.equal(reply.status, 202);
        assert.equal(reply.body, '');
        assert.equal((await countByStatus(fixture.store.db)).pending, 0);
      });
    }

    it('answers 413 to a body over the limit, declared or streamed', async () => {
      const big = Buffer.alloc(MAX_BODY + 1, 0x20);
      assert.equal((await post(port, '/api/notifications', big)).status, 413);
      const chunked = await post(port, '/api/notifications', big, {
        'transfer-encoding': 'chunked',
      });
      assert.equal(chunked.status, 413);
      assert.equal((await countByStatus(fixture.store.db)).pending, 0);
    });
  });

  describe('gate before the inbox', () => {
    const forged = (n: number): Record<string, unknown> => ({
      ...item(n),
      subscriptionId: `forged-${n}`,
    });

    it('keeps items of unknown subscriptions and wrong clientStates out of the store', async () => {
      const body = JSON.stringify({
        value: [
          item(1),
          forged(2),
          { ...item(3), clientState: 'guessed' },
          { ...item(4), clientState: undefined },
          { ...item(5), subscriptionId: undefined },
          item(6),
        ],
      });
      const reply = await post(port, '/api/notifications', body);
      assert.equal(reply.status, 202);
      assert.equal((await countByStatus(fixture.store.db)).pending, 2);
      const batches = await fixture.store.db
        .selectFrom('notification_batches')
        .selectAll()
        .execute();
      assert.equal(batches.length, 1);
    });

    it('writes nothing at all for a wholly forged flood, and logs it as one summary', async () => {
      const bodies = Array.from({ length: 10 }, (_, b) =>
        JSON.stringify({ value: Array.from({ length: 100 }, (_, i) => forged(b * 100 + i)) }),
      );
      for (const body of bodies)
        assert.equal((await post(port, '/api/notifications', body)).status, 202);
      assert.equal((await countByStatus(fixture.store.db)).pending, 0);
      const batches = await fixture.store.db
        .selectFrom('notification_batches')
        .selectAll()
        .execute();
      assert.deepEqual(batches, []);
      assert.equal(stored, 0);
      const warnings = logLines.filter((line) => Number(line.level) >= 40);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0]?.items, 100);
      assert.ok(listed() <= 2, `id list read ${listed()} times`);
    });

    it('answers 429 with Retry-After to a source that keeps sending forged items', async () => {
      const body = JSON.stringify({ value: Array.from({ length: 400 }, (_, i) => forged(i)) });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        statuses.push((await post(port, '/api/notifications', body, {}, '127.0.0.2')).status);
      }
      assert.deepEqual(statuses.slice(0, 20), Array<number>(20).fill(202));
      assert.ok(statuses.slice(20).includes(429), statuses.join());
      const limited = await post(port, '/api/notifications', body, {}, '127.0.0.2');
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.retryAfter) >= 1);
      const genuine = JSON.stringify({ value: [item(7)] });
      assert.equal((await post(port, '/api/notifications', genuine)).status, 202);
      assert.equal((await countByStatus(fixture.store.db)).pending, 1);
    });

    it('never limits a source whose items are ours, however many', async () => {
      for (let round = 0; round < 30; round += 1) {
        const value = Array.from({ length: 100 }, (_, i) => ({ ...item(i), round }));
        const reply = await post(port, '/api/notifications', JSON.stringify({ value }));
        assert.equal(reply.status, 202);
      }
      assert.equal((await countByStatus(fixture.store.db)).pending, 3000);
    });

    it('answers 503 only when the store cannot take the batch, so Graph retries', async () => {
      await fixture.store.close();
      const reply = await post(port, '/api/notifications', JSON.stringify({ value: [item(1)] }));
      assert.equal(reply.status, 503);
      assert.equal(reply.body, '');
    });
  });
});
