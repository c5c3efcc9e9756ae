import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../src/logging/logger';
import { freePort } from '../../tools/local/wait-until-ready';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-server';
import { recordFigure } from './resilience-figures';
import { auditAlerts } from './stack/alert-audit';
import type { BotInstance } from './stack/bot-instance';
import { channelUserOf, watchFromPersonalChat } from './stack/chat-flows';
import { startLoadBalancer, type LoadBalancer } from './stack/load-balancer';
import { BURST_START, runBurst, until } from './stack/presence-burst';
import { ORGANISATION, startResilienceStack, type ResilienceStack } from './stack/resilience-stack';
import { recordedPresenceMatches, storeCounts } from './stack/store-counts';

const WATCHERS = ORGANISATION.slice(0, 3);
const TARGETS = ORGANISATION.slice(6, 11);
/** Subscriptions covering each watched person (COVERAGE_REDUNDANCY's default). */
const REDUNDANCY = 2;
const PATCH_ROUTE = 'PATCH /v1.0/subscriptions/:id';
/** The inbox, alert and subscription leases of the bot (60 s), plus time to notice and finish. */
const LEASE_MS = 60_000;

describe('two instances behind one load balancer on one PostgreSQL database', function () {
  this.timeout(300_000);
  let stack: ResilienceStack;
  let database: TestDatabase;
  let store: StoreDatabase;
  let balancer: LoadBalancer;
  let instances: BotInstance[];
  const conversations = WATCHERS.map((w) => ({ id: `a:two-${w.id}`, type: 'personal' as const }));
  const conversationIds = conversations.map((c) => c.id);

  const patches = (): number => stack.sim.counters().routes[PATCH_ROUTE] ?? 0;

  const settled = async (changesMade: number): Promise<void> =>
    until(
      'every notification processed and every alert finished',
      async () => {
        const matches = await recordedPresenceMatches(store.db, stack.sim, TARGETS);
        const counts = await storeCounts(store.db);
        const delivered = stack.sim.counters().counters.notificationsDelivered ?? 0;
        return (
          delivered >= changesMade * REDUNDANCY &&
          (counts.inboxByStatus.pending ?? 0) === 0 &&
          counts.unconsumedChanges === 0 &&
          (counts.alertsByStatus.pending ?? 0) === 0 &&
          matches
        );
      },
      LEASE_MS + 60_000,
      async () => storeCounts(store.db),
    );

  const reauthorizeAll = async (): Promise<number> => {
    const before = patches();
    const ids = stack.sim.subscriptions().map((s) => s.id);
    for (const id of ids) stack.sim.triggerLifecycle(id, 'reauthorizationRequired');
    await until(
      'one renewal per subscription',
      async () => patches() >= before + ids.length,
      60_000,
      async () => patches(),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return patches() - before - ids.length;
  };

  before(async () => {
    stack = await startResilienceStack();
    database = await createTestDatabase();
    const ports = [await freePort(), await freePort()];
    balancer = await startLoadBalancer(ports.map((port) => `http://127.0.0.1:${port}`));
    const shared = {
      databaseUrl: database.url,
      publicBaseUrl: balancer.url,
      env: { STORE_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
    };
    instances = [];
    for (const [i, port] of ports.entries()) {
      instances.push(await stack.startInstance(`bot-${i}`, { ...shared, port }));
    }
    stack.botUrl = balancer.url;
    store = await openDatabase({ kind: 'postgres', url: database.url }, silentLogger());
    for (const person of TARGETS) stack.sim.setPresence(person.id, BURST_START);
  });

  after(async () => {
    await store?.close();
    await stack?.stop();
    await balancer?.stop();
    await database?.drop();
  });

  it('splits sign-ins, activities and notifications; renews each subscription once and alerts once', async () => {
    for (const [i, watcher] of WATCHERS.entries()) {
      await watchFromPersonalChat(stack, conversations[i]!, channelUserOf(watcher), TARGETS);
    }
    await runBurst(stack.sim, TARGETS, { from: 0, to: 500 }, { pauseEvery: 25, pauseMs: 50 });
    await settled(500);
    const extraRenewals = await reauthorizeAll();
    const counts = await storeCounts(store.db);
    const audit = auditAlerts(stack.connector, stack.sim, conversationIds, TARGETS);
    const served = [...balancer.served.values()];

    recordFigure('two instances', 'requests served by each instance', served.join(' / '));
    recordFigure('two instances', 'duplicate renewals', extraRenewals, '0');
    recordFigure(
      'two instances',
      'duplicate or lost alerts',
      audit.breaks.length + audit.repeatedCards,
      '0',
    );
    assert.ok(
      served.every((n) => n > 10),
      `both instances served requests: ${served.join(', ')}`,
    );
    assert.equal(extraRenewals, 0);
    recordFigure(
      'two instances',
      'changes alerted / folded into a later one',
      `${counts.changes} / ${500 - counts.changes}`,
    );
    assert.ok(counts.changes <= 500);
    assert.equal(
      (counts.alertsByStatus.sent ?? 0) + (counts.alertsByStatus.dropped ?? 0),
      counts.changes * conversations.length,
    );
    assert.deepEqual(audit.breaks, []);
    assert.equal(audit.repeatedCards, 0);
    assert.deepEqual(audit.wrongFinal, []);
  });

  it('takes over the work of a killed instance within a lease period', async () => {
    const [victim] = instances;
    let killedAt = 0;
    await runBurst(
      stack.sim,
      TARGETS,
      { from: 500, to: 1_000 },
      {
        pauseEvery: 25,
        pauseMs: 50,
        onChange: async (i) => {
          if (i !== 600) return;
          await victim!.kill();
          killedAt = Date.now();
        },
      },
    );
    const extraRenewals = await reauthorizeAll();
    await settled(1_000);
    const takeoverMs = Date.now() - killedAt;
    const counts = await storeCounts(store.db);
    const audit = auditAlerts(stack.connector, stack.sim, conversationIds, TARGETS);
    const alerts = counts.changes * conversations.length;
    const finished = (counts.alertsByStatus.sent ?? 0) + (counts.alertsByStatus.dropped ?? 0);

    recordFigure(
      'two instances',
      'all work finished after the kill (s)',
      (takeoverMs / 1000).toFixed(1),
      '≤ 60 s lease + 30 s',
    );
    recordFigure('two instances', 'duplicate renewals after the kill', extraRenewals, '0');
    recordFigure('two instances', 'alerts lost after the kill', alerts - finished, '0');
    assert.equal(extraRenewals, 0);
    assert.equal(finished, alerts);
    assert.equal(counts.alertsByStatus.failed ?? 0, 0);
    assert.deepEqual(audit.breaks, []);
    assert.ok(audit.repeatedCards <= conversations.length);
    assert.deepEqual(audit.wrongFinal, []);
    assert.ok(takeoverMs <= LEASE_MS + 30_000, `took ${takeoverMs} ms`);
  });
});
