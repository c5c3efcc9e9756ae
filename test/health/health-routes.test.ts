import assert from 'node:assert/strict';
import type { Server } from 'restify';
import { registerHealthRoutes } from '../../src/health/health-routes';
import { createWorkerHeartbeats, type WorkerHeartbeats } from '../../src/health/worker-heartbeats';
import { silentLogger } from '../../src/logging/logger';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';
import type { SubscriptionState } from '../../src/store/database-schema';
import { forEachEngine } from '../helpers/for-each-engine';

const MINUTE = 60_000;

interface Answer {
  status: number;
  cacheControl: string | null;
  body: Record<string, unknown>;
}

async function get(port: number, path: string): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return {
    status: response.status,
    cacheControl: response.headers.get('cache-control'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

forEachEngine('health routes', (fixture) => {
  let server: Server;
  let port: number;
  let clock: number;
  let heartbeats: WorkerHeartbeats;

  beforeEach(async () => {
    clock = 1_000_000;
    heartbeats = createWorkerHeartbeats(() => clock);
    server = createHttpServer(silentLogger());
    registerHealthRoutes(server, { db: fixture.store.db, heartbeats, logger: silentLogger() });
    port = await listen(server, 0, '127.0.0.1');
  });

  afterEach(async () => {
    await closeServer(server);
  });

  const addSubscriptions = async (
    count: number,
    state: SubscriptionState,
    lastErrorCode: string | null,
  ): Promise<void> => {
    const existing = await fixture.store.db
      .selectFrom('graph_subscriptions')
      .select('owner_id')
      .execute();
    for (let i = 0; i < count; i += 1) {
      await fixture.store.db
        .insertInto('graph_subscriptions')
        .values({
          tenant_id: 'tenant',
          owner_id: `owner-${existing.length + i}`,
          desired_ids: '["a"]',
          covered_ids: '["a"]',
          state,
          last_error_code: lastErrorCode,
          next_action_at: clock,
          updated_at: clock,
        })
        .execute();
    }
  };

  it('/healthz is 200 while the store answers and every worker keeps beating', async () => {
    const inbox = heartbeats.register('notification-inbox', 5 * MINUTE);
    clock += 4 * MINUTE;
    inbox.beat();
    const answer = await get(port, '/healthz');
    assert.equal(answer.status, 200);
    assert.equal(answer.cacheControl, 'no-store');
    assert.deepEqual(answer.body, {
      status: 'ok',
      store: 'ok',
      workers: { 'notification-inbox': 'ok' },
    });
  });

  it('/healthz is 503 when a worker has not passed for longer than it may', async () => {
    const keeper = heartbeats.register('subscription-keeper', 15 * MINUTE);
    heartbeats.register('alert-sender', 5 * MINUTE).beat();
    keeper.beat();
    clock += 6 * MINUTE;
    const answer = await get(port, '/healthz');
    assert.equal(answer.status, 503);
    assert.deepEqual(answer.body.workers, {
      'subscription-keeper': 'ok',
      'alert-sender': 'stalled',
    });
    assert.equal(answer.body.status, 'unhealthy');
  });

  it('/healthz is 200 while a worker is starting and 503 when it never passes', async () => {
    heartbeats.register('alert-fan-out', 5 * MINUTE);
    const starting = await get(port, '/healthz');
    assert.equal(starting.status, 200);
    assert.deepEqual(starting.body.workers, { 'alert-fan-out': 'starting' });
    clock += 5 * MINUTE + 1;
    assert.equal((await get(port, '/healthz')).status, 503);
  });

  it('/healthz and /readyz are 503 when the store does not answer', async () => {
    await fixture.store.close();
    const health = await get(port, '/healthz');
    assert.equal(health.status, 503);
    assert.equal(health.body.store, 'unreachable');
    assert.equal((await get(port, '/readyz')).status, 503);
  });

  it('/readyz is 200 with a few failures and 503 when subscriptions fail en masse', async () => {
    await addSubscriptions(3, 'active', null);
    await addSubscriptions(2, 'active', 'GRAPH_UNAVAILABLE');
    const fine = await get(port, '/readyz');
    assert.equal(fine.status, 200);
    assert.deepEqual(fine.body, {
      status: 'ready',
      subscriptions: { total: 5, failing: 2, awaitingSignIn: 0 },
    });
    await addSubscriptions(2, 'failed', 'GRAPH_FORBIDDEN');
    const failing = await get(port, '/readyz');
    assert.equal(failing.status, 503);
    assert.deepEqual(failing.body.subscriptions, { total: 7, failing: 4, awaitingSignIn: 0 });
  });

  it('/readyz does not count users who must sign in again as a service failure', async () => {
    await addSubscriptions(1, 'active', null);
    await addSubscriptions(5, 'failed-auth', 'TOKEN_UNAVAILABLE');
    const answer = await get(port, '/readyz');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.subscriptions, { total: 6, failing: 0, awaitingSignIn: 5 });
  });

  it('/readyz is 200 for a new install with one failing subscription', async () => {
    await addSubscriptions(1, 'failed', 'GRAPH_FORBIDDEN');
    assert.equal((await get(port, '/readyz')).status, 200);
  });
});
