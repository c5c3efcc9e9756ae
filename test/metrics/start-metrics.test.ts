import assert from 'node:assert/strict';
import type { Server } from 'restify';
import { silentLogger } from '../../src/logging/logger';
import { startMetrics, type RunningMetrics } from '../../src/metrics';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';
import type { StoreExecutor, SubscriptionState } from '../../src/store/database-schema';
import { forEachEngine } from '../helpers/for-each-engine';

const TOKEN = 'metrics-scrape-token-0123456789abcdef';
const NOW = 1_800_000_000_000;

interface Running {
  readonly url: string;
  readonly telemetry: RunningMetrics;
  readonly server: Server;
}

async function startOn(db: StoreExecutor, bearerToken: string | undefined): Promise<Running> {
  const server = createHttpServer(silentLogger());
  const telemetry = startMetrics({
    config: { bearerToken, applicationInsightsConnectionString: undefined },
    db,
    server,
    logger: silentLogger(),
    now: () => NOW,
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/metrics`, telemetry, server };
}

async function scrape(url: string, token = TOKEN): Promise<string> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return response.text();
}

async function addInboxItems(db: StoreExecutor, statuses: ('pending' | 'done')[]): Promise<void> {
  const batch = await db
    .insertInto('notification_batches')
    .values({ received_at: NOW - 30_000, validation_tokens: '[]', payloads: '[]' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [index, status] of statuses.entries()) {
    await db
      .insertInto('notification_inbox')
      .values({
        batch_id: batch.id,
        dedupe_key: `key-${index}`,
        subscription_id: 'sub',
        tenant_id: 'tenant',
        item_index: index,
        status,
        error_code: null,
        lease_owner: null,
        lease_until: null,
        received_at: NOW - 30_000 + index * 10_000,
        finished_at: null,
      })
      .execute();
  }
}

async function addSubscription(
  db: StoreExecutor,
  owner: string,
  state: SubscriptionState,
  expiresAt: number,
): Promise<void> {
  await db
    .insertInto('graph_subscriptions')
    .values({
      tenant_id: 'tenant',
      owner_id: owner,
      graph_subscription_id: `sub-${owner}`,
      desired_ids: '[]',
      client_state_sealed: null,
      certificate_id: null,
      expires_at: expiresAt,
      state,
      last_error_code: null,
      next_action_at: NOW,
      lease_owner: null,
      lease_until: null,
      dirty_since: null,
      updated_at: NOW,
    })
    .execute();
}

forEachEngine('metrics on /metrics', (fixture) => {
  let running: Running | undefined;

  afterEach(async () => {
    if (!running) return;
    await closeServer(running.server);
    await running.telemetry.stop();
    running = undefined;
  });

  it('is not served when no bearer token is configured', async () => {
    running = await startOn(fixture.store.db, undefined);
    const response = await fetch(running.url);
    assert.equal(response.status, 404);
  });

  it('answers 401 to a scrape without the token or with another one', async () => {
    running = await startOn(fixture.store.db, TOKEN);
    const bare = await fetch(running.url);
    assert.equal(bare.status, 401);
    assert.equal(bare.headers.get('www-authenticate'), 'Bearer');
    const wrong = await fetch(running.url, { headers: { Authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.status, 401);
    assert.doesNotMatch(await wrong.text(), /presence_watch/);
  });

  it('shows the inbox and the subscriptions as the store has them', async () => {
    const { db } = fixture.store;
    await addInboxItems(db, ['pending', 'pending', 'done']);
    await addSubscription(db, 'alive', 'active', NOW + 3_600_000);
    await addSubscription(db, 'lapsed', 'active', NOW - 60_000);
    await addSubscription(db, 'broken', 'failed', NOW - 60_000);
    running = await startOn(db, TOKEN);
    const text = await scrape(running.url);
    assert.match(text, /^presence_watch_inbox_depth 2$/m);
    assert.match(text, /^presence_watch_inbox_oldest_age(_seconds)? 30$/m);
    assert.match(text, /^presence_watch_subscriptions\{state="active"\} 2$/m);
    assert.match(text, /^presence_watch_subscriptions\{state="failed"\} 1$/m);
    assert.match(text, /^presence_watch_subscriptions_lapsed 1$/m);
  });

  it('shows the counted events: notifications, Graph calls and 429s by route, alerts and latency', async () => {
    running = await startOn(fixture.store.db, TOKEN);
    const { metrics } = running.telemetry;
    metrics.notificationsStored(3);
    metrics.notificationVerdicts([
      { status: 'verified' },
      { status: 'rejected', code: 'CLIENT_STATE_MISMATCH' },
      { status: 'rejected', code: 'CLIENT_STATE_MISMATCH' },
    ]);
    metrics.graphCall('getPresencesByUserId', 200);
    metrics.graphCall('createSubscription', 429);
    metrics.alertCardSent(2, [NOW - 1_500, NOW - 4_000], NOW);
    metrics.alertSendFailed('TEAMS_THROTTLED', 429);
    const text = await scrape(running.url);
    assert.match(text, /^presence_watch_notifications_received_total 3$/m);
    assert.match(
      text,
      /^presence_watch_notifications_processed_total\{outcome="rejected",code="CLIENT_STATE_MISMATCH"\} 2$/m,
    );
    assert.match(
      text,
      /^presence_watch_graph_requests_total\{route="getPresencesByUserId",status="200"\} 1$/m,
    );
    assert.match(text, /^presence_watch_graph_throttled_total\{route="createSubscription"\} 1$/m);
    assert.match(text, /^presence_watch_alerts_sent_total 2$/m);
    assert.match(text, /^presence_watch_teams_throttled_total 1$/m);
    assert.match(text, /^presence_watch_alerts_latency(_seconds)?_bucket\{le="2"\} 1$/m);
    assert.match(text, /^presence_watch_alerts_latency(_seconds)?_count 2$/m);
  });
});
