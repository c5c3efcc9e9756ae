import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger, silentLogger } from '../../src/logging/logger';
import { createGraphCall, readAllPages } from '../../src/graph/graph-caller';
import { createGraphClient } from '../../src/graph/graph-client';
import { GraphError } from '../../src/graph/graph-error';
import { expectAppError } from '../helpers/expect-app-error';
import { answerJson, startLoopbackServer, type LoopbackServer } from './loopback-server';

const TOKEN = 'eyJ0eXAiOiJKV1QifQ.secret-token-body.signature';

function subscriptionJson(id: string): Record<string, unknown> {
  return {
    id,
    resource: `/communications/presences/${id}`,
    changeType: 'updated',
    notificationUrl: 'https://bot.example/api/notifications',
    lifecycleNotificationUrl: null,
    expirationDateTime: '2025-03-01T12:45:00Z',
    includeResourceData: true,
    encryptionCertificateId: 'cert-1',
    clientState: 'never-returned',
  };
}

describe('graph client: transport over a loopback Graph', () => {
  let fake: LoopbackServer;
  let foreign: LoopbackServer;

  before(async () => {
    foreign = await startLoopbackServer((_req, res) => answerJson(res, 200, { value: [] }));
    fake = await startLoopbackServer((req, res, origin) => {
      const url = req.url ?? '/';
      if (url === '/v1.0/subscriptions') {
        return answerJson(res, 200, {
          value: [subscriptionJson('s1')],
          '@odata.nextLink': `${origin}/v1.0/subscriptions?$skiptoken=page%202`,
        });
      }
      if (url === '/v1.0/subscriptions?$skiptoken=page%202') {
        return answerJson(res, 200, { value: [subscriptionJson('s2')] });
      }
      if (url === '/v1.0/users?$skiptoken=hang') return;
      if (url === '/v1.0/users') {
        return answerJson(res, 200, {
          value: [{ id: 'u1', displayName: 'Una', userPrincipalName: 'una@contoso.test' }],
          '@odata.nextLink': `${origin}/v1.0/users?$skiptoken=hang`,
        });
      }
      if (url === '/beta/subscriptions') {
        return answerJson(res, 200, {
          value: [],
          '@odata.nextLink': `${foreign.url}/v1.0/subscriptions?page=2`,
        });
      }
      res.statusCode = 429;
      res.setHeader('retry-after', 'Sat, 01 Mar 2025 12:00:05 GMT');
      res.setHeader('request-id', 'req-42');
      res.end();
    });
  });
  beforeEach(() => {
    fake.seen.length = 0;
    foreign.seen.length = 0;
  });
  after(async () => {
    await fake.close();
    await foreign.close();
  });

  it('follows @odata.nextLink over http and sends the bearer token on every page', async () => {
    const graph = createGraphClient({ baseUrl: `${fake.url}/v1.0`, logger: silentLogger() });
    const listed = await graph.listSubscriptions(TOKEN);
    assert.deepEqual(
      listed.map((s) => s.id),
      ['s1', 's2'],
    );
    assert.equal(listed[0]?.expirationDateTime.toISOString(), '2025-03-01T12:45:00.000Z');
    assert.ok(!('clientState' in (listed[0] ?? {})));
    assert.deepEqual(
      fake.seen.map((r) => r.authorization),
      [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`],
    );
  });

  it('refuses a nextLink outside the base URL and never sends the token there', async () => {
    const graph = createGraphClient({ baseUrl: `${fake.url}/beta`, logger: silentLogger() });
    const error = await expectAppError(graph.listSubscriptions(TOKEN), 'GRAPH_REQUEST_FAILED');
    assert.match(error.message, /nextLink/);
    assert.equal(fake.seen.length, 1);
    assert.equal(foreign.seen.length, 0);
  });

  it('maps a later page that never answers to GRAPH_UNAVAILABLE, not the first page status', async () => {
    const call = createGraphCall({
      baseUrl: `${fake.url}/v1.0`,
      timeoutMs: 200,
      logger: silentLogger(),
    });
    const error = await expectAppError(
      call(TOKEN, 'listUsers', (client) => readAllPages(client, `${fake.url}/v1.0`, '/users')),
      'GRAPH_UNAVAILABLE',
    );
    assert.ok(error instanceof GraphError);
    assert.equal(error.status, undefined);
    assert.equal(fake.seen.length, 2);
  });

  it('reads an HTTP-date Retry-After against the injected clock', async () => {
    const graph = createGraphClient({
      baseUrl: `${fake.url}/v1.0`,
      logger: silentLogger(),
      now: () => Date.parse('2025-03-01T12:00:00Z'),
    });
    const error = await expectAppError(graph.getPresence(TOKEN, 'someone'), 'GRAPH_THROTTLED');
    assert.ok(error instanceof GraphError);
    assert.equal(error.retryAfterMs, 5_000);
    assert.equal(error.requestId, 'req-42');
  });

  it('tells its observer each operation and its last HTTP status, 429 included', async () => {
    const heard: [string, number | undefined][] = [];
    const graph = createGraphClient({
      baseUrl: `${fake.url}/v1.0`,
      logger: silentLogger(),
      onCall: (operation, status) => heard.push([operation, status]),
    });
    await graph.listSubscriptions(TOKEN);
    await expectAppError(graph.getPresence(TOKEN, 'someone'), 'GRAPH_THROTTLED');
    assert.deepEqual(heard, [
      ['listSubscriptions', 200],
      ['getPresence', 429],
    ]);
  });

  it('sends through an injected fetch', async () => {
    const urls: string[] = [];
    const graph = createGraphClient({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      logger: silentLogger(),
      fetchImpl: async (input, init) => {
        urls.push(String(input instanceof Request ? input.url : input));
        assert.equal(new Headers(init?.headers).get('authorization'), `Bearer ${TOKEN}`);
        return Response.json({ id: 'u1', availability: 'Focusing', activity: 'Focusing' });
      },
    });
    assert.deepEqual(await graph.getPresence(TOKEN, 'u1'), {
      id: 'u1',
      availability: 'Focusing',
      activity: 'Focusing',
    });
    assert.deepEqual(urls, ['https://graph.microsoft.com/v1.0/users/u1/presence']);
  });

  it('logs calls at debug level without the token', async () => {
    const lines = new PassThrough();
    const chunks: string[] = [];
    lines.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    const logger = createLogger({ level: 'debug', format: 'json', destination: lines });
    const graph = createGraphClient({ baseUrl: `${fake.url}/v1.0`, logger });
    await graph.listSubscriptions(TOKEN);
    await expectAppError(graph.getPresence(TOKEN, 'someone'), 'GRAPH_THROTTLED');
    const text = chunks.join('');
    assert.match(text, /"operation":"listSubscriptions"/);
    assert.match(text, /"code":"GRAPH_THROTTLED"/);
    assert.ok(!text.includes('secret-token-body'));
  });

  it('refuses a base URL without a Graph version', () => {
    assert.throws(
      () => createGraphClient({ baseUrl: fake.url, logger: silentLogger() }),
      (error: { code?: string }) => error.code === 'CONFIG_INVALID',
    );
  });
});
