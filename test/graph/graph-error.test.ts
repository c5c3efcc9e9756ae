import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/logging/logger';
import { createGraphClient, type GraphClient } from '../../src/graph/graph-client';
import { AppError } from '../../src/errors/app-error';
import { errorCodeForStatus, GraphError, toGraphError } from '../../src/graph/graph-error';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import { expectAppError } from '../helpers/expect-app-error';
import {
  ALEX_ID,
  MEGAN_ID,
  startTestSimulator,
  tokenFor,
} from '../helpers/tenant-simulator-harness';
import { startLoopbackServer } from './loopback-server';

function asGraphError(error: unknown): GraphError {
  assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
  return error;
}

describe('graph client: error mapping against the tenant simulator', () => {
  let sim: RunningSimulator;
  let graph: GraphClient;

  before(async () => {
    sim = await startTestSimulator();
    graph = createGraphClient({ baseUrl: sim.graphBaseUrl, logger: silentLogger() });
  });
  afterEach(() => sim.faults.clearFaults());
  after(() => sim.stop());

  it('maps 429 to GRAPH_THROTTLED with retryAfterMs from Retry-After', async () => {
    sim.faults.setRouteFault('POST /v1.0/communications/getPresencesByUserId', {
      throttleShare: 1,
      retryAfterSeconds: 7,
    });
    const token = await tokenFor(sim, ALEX_ID);
    const error = asGraphError(
      await expectAppError(graph.getPresencesByUserId(token, [MEGAN_ID]), 'GRAPH_THROTTLED'),
    );
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 7_000);
    assert.equal(error.graphCode, 'TooManyRequests');
    assert.equal(error.operation, 'getPresencesByUserId');
    assert.ok(error.requestId);
  });

  it('maps 503 to GRAPH_UNAVAILABLE, keeping Retry-After', async () => {
    sim.faults.setRouteFault('/v1.0/users/:id/presence', { unavailableShare: 1 });
    const token = await tokenFor(sim, ALEX_ID);
    const error = asGraphError(
      await expectAppError(graph.getPresence(token, MEGAN_ID), 'GRAPH_UNAVAILABLE'),
    );
    assert.equal(error.status, 503);
    assert.equal(error.retryAfterMs, 1_000);
    assert.equal(error.graphCode, 'ServiceUnavailable');
  });

  it('maps a token of a user whose consent was revoked to GRAPH_UNAUTHORIZED', async () => {
    const token = await tokenFor(sim, MEGAN_ID);
    await graph.getPresence(token, ALEX_ID);
    assert.equal(sim.revokeConsent(MEGAN_ID), true);
    const error = asGraphError(
      await expectAppError(graph.listSubscriptions(token), 'GRAPH_UNAUTHORIZED'),
    );
    assert.equal(error.status, 401);
    assert.equal(error.graphCode, 'InvalidAuthenticationToken');
    assert.equal(error.retryAfterMs, undefined);
  });

  it('never puts the token in the error', async () => {
    const token = await tokenFor(sim, ALEX_ID);
    sim.faults.setRouteFault('*', { unavailableShare: 1 });
    const error = await expectAppError(graph.getUser(token, MEGAN_ID), 'GRAPH_UNAVAILABLE');
    assert.ok(!JSON.stringify(error).includes(token));
    assert.ok(!error.message.includes(token));
  });
});

describe('graph client: failures without a Graph answer', () => {
  it('maps a request that gets no answer within timeoutMs to GRAPH_UNAVAILABLE', async () => {
    const silent = await startLoopbackServer(() => undefined);
    try {
      const graph = createGraphClient({
        baseUrl: `${silent.url}/v1.0`,
        timeoutMs: 200,
        logger: silentLogger(),
      });
      const error = asGraphError(
        await expectAppError(graph.getPresence('token', MEGAN_ID), 'GRAPH_UNAVAILABLE'),
      );
      assert.equal(error.status, undefined);
      assert.equal(error.graphCode, 'TimeoutError');
      assert.equal(silent.seen.length, 1);
    } finally {
      await silent.close();
    }
  });

  it('maps a refused connection to GRAPH_UNAVAILABLE', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const graph = createGraphClient({
      baseUrl: `http://127.0.0.1:${port}/v1.0`,
      logger: silentLogger(),
    });
    const error = asGraphError(
      await expectAppError(graph.listSubscriptions('token'), 'GRAPH_UNAVAILABLE'),
    );
    assert.equal(error.status, undefined);
  });
});

describe('errorCodeForStatus', () => {
  it('maps each HTTP status to its registered code', () => {
    const cases: [number | undefined, string][] = [
      [400, 'GRAPH_BAD_REQUEST'],
      [401, 'GRAPH_UNAUTHORIZED'],
      [403, 'GRAPH_FORBIDDEN'],
      [404, 'GRAPH_NOT_FOUND'],
      [409, 'GRAPH_CONFLICT'],
      [429, 'GRAPH_THROTTLED'],
      [500, 'GRAPH_UNAVAILABLE'],
      [502, 'GRAPH_UNAVAILABLE'],
      [504, 'GRAPH_UNAVAILABLE'],
      [undefined, 'GRAPH_UNAVAILABLE'],
      [412, 'GRAPH_REQUEST_FAILED'],
      [302, 'GRAPH_REQUEST_FAILED'],
    ];
    for (const [status, code] of cases)
      assert.equal(errorCodeForStatus(status), code, String(status));
  });
});

describe('toGraphError', () => {
  it('passes AppErrors through and does not mistake a bug in our code for an outage', () => {
    const bug = toGraphError(new TypeError('x is undefined'), 'getUser', 0);
    assert.equal(bug.code, 'GRAPH_REQUEST_FAILED');
    const own = new AppError('WATCH_LIMIT_EXCEEDED');
    assert.equal(toGraphError(own, 'getUser', 0), own);
  });

  it('takes status and headers from the raw response when the SDK lost them', () => {
    const sdkError = Object.assign(new Error('gateway'), { statusCode: -1, code: null });
    const response = new Response('<html>bad gateway</html>', {
      status: 502,
      headers: { 'retry-after': '3', 'request-id': 'r-1' },
    });
    const error = asGraphError(toGraphError(sdkError, 'renewSubscription', 0, response));
    assert.equal(error.code, 'GRAPH_UNAVAILABLE');
    assert.equal(error.status, 502);
    assert.equal(error.retryAfterMs, 3_000);
    assert.equal(error.requestId, 'r-1');
    assert.match(error.message, /renewSubscription HTTP 502 .*request-id r-1/);
  });
});
