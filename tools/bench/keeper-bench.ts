import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listSubscriptions, scheduleSubscriptionAction } from '../../src/store/graph-subscriptions';
import { upsertWatch } from '../../src/store/watches';
import { planCoverage } from '../../src/watch/coverage-planner';
import { DEFAULT_KEEPER_CONFIG } from '../../src/watch/keeper-config';
import type { SubscriptionKeeper } from '../../src/watch/subscription-keeper';
import type { KeeperBenchFigures } from './keeper-figures';
import { generateKeeperOrg, type KeeperOrg } from './keeper-org';
import { startKeeperRig, type KeeperRig } from './keeper-rig';
import { drivePresence } from './presence-driver';

/** Settings of one keeper bench run; sizes are issue 4's times `scale`. */
export interface KeeperBenchOptions {
  readonly scale: number;
  readonly simulatedHours: number;
  /** Presence changes of watched people per simulated hour. */
  readonly presenceChangesPerHour: number;
  /** Simulated ms per real ms while the simulated hours run. */
  readonly clockSpeed: number;
  readonly workerThreads: number;
  readonly seed?: number;
  /** The keeper's liveness interval (default the keeper's; 0 turns the check off). */
  readonly livenessCheckMs?: number;
}

const HOUR_MS = 3_600_000;
const RESYNC_ROUTE = 'POST /v1.0/communications/getPresencesByUserId';
const IDS_PER_RESYNC = 650;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Issue 4's organisation scaled: 5,000 watchers, 2,000 people watched, 10,000 conversations. */
export function benchOrg(scale: number, seed: number): KeeperOrg {
  return generateKeeperOrg({
    watchers: Math.max(2, Math.round(5000 * scale)),
    watchedPeople: Math.max(1, Math.round(2000 * scale)),
    conversations: Math.max(2, Math.round(10_000 * scale)),
    people: Math.max(3, Math.round(6000 * scale)),
    zipfExponent: 1,
    seed,
  });
}

/** Runs the keeper scenario against the in-process simulator and returns its figures. */
export async function runKeeperBench(options: KeeperBenchOptions): Promise<KeeperBenchFigures> {
  const org = benchOrg(options.scale, options.seed ?? 4242);
  const planner = measurePlanner(org);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-keeper-bench-'));
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  const livenessCheckMs = options.livenessCheckMs ?? DEFAULT_KEEPER_CONFIG.livenessCheckMs;
  const rig = await startKeeperRig(dir, org, {
    workerThreads: options.workerThreads,
    livenessCheckMs,
  });
  try {
    await insertWatches(rig, org);
    await rig.tokens.signInAll(org.watcherIds);
    const peopleWatched = new Set(org.watches.map((w) => w.targetId.toLowerCase())).size;
    const converged = await converge(rig, peopleWatched);
    const hours = await runHours(rig, org, options, converged.keeper);
    const renewalCycle = await measureRenewalCycle(rig, converged.keeper);
    return {
      scale: options.scale,
      watchers: new Set(org.watches.map((w) => w.watcherId)).size,
      peopleWatched,
      conversations: new Set(org.watches.map((w) => w.conversationId)).size,
      watches: org.watches.length,
      directoryPeople: org.users.length,
      convergeRealMs: converged.convergeRealMs,
      plannedSubscriptions: converged.plannedSubscriptions,
      subscriptionsAlive: converged.subscriptionsAlive,
      startupResyncCalls: converged.startupResyncCalls,
      ...hours,
      simulatedHours: options.simulatedHours,
      livenessCheckMs,
      renewalCycle,
      expectedResyncCalls: Math.ceil(peopleWatched / IDS_PER_RESYNC),
      peakRssBytes: Math.max(peakRss, process.memoryUsage.rss()),
      planner,
    };
  } finally {
    clearInterval(sampler);
    await rig.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function measurePlanner(org: KeeperOrg): KeeperBenchFigures['planner'] {
  const watchers = new Map<string, Set<string>>();
  for (const w of org.watches) {
    const key = w.watcherId.toLowerCase();
    watchers.set(key, (watchers.get(key) ?? new Set()).add(w.targetId.toLowerCase()));
  }
  const input = {
    watchers,
    current: new Map<string, Set<string>>(),
    unavailable: new Set<string>(),
    redundancy: DEFAULT_KEEPER_CONFIG.redundancy,
    maxIdsPerSubscription: DEFAULT_KEEPER_CONFIG.maxIdsPerSubscription,
  };
  const times: number[] = [];
  let plan = planCoverage(input);
  for (let run = 0; run < 3; run += 1) {
    const started = process.hrtime.bigint();
    plan = planCoverage(input);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const sizes = [...plan.assignments.values()].map((ids) => ids.size).filter((n) => n > 0);
  return {
    planMs: times.sort((a, b) => a - b)[1] ?? 0,
    subscriptions: sizes.length,
    maxIds: Math.max(0, ...sizes),
  };
}

async function insertWatches(rig: KeeperRig, org: KeeperOrg): Promise<void> {
  const now = rig.sim.clock.now();
  for (let start = 0; start < org.watches.length; start += 1000) {
    const part = org.watches.slice(start, start + 1000);
    await rig.store.db.transaction().execute(async (trx) => {
      for (const watch of part) await upsertWatch(trx, watch, now);
    });
  }
}

async function countRows(rig: KeeperRig, table: 'presence_state' | 'presence_changes') {
  const row = await rig.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Starts the keeper and waits until every planned subscription is live and everyone was resynced. */
async function converge(rig: KeeperRig, peopleWatched: number) {
  const resyncsBefore = rig.sim.counters().routes[RESYNC_ROUTE] ?? 0;
  const started = Date.now();
  const keeper = rig.keeper();
  keeper.start();
  for (;;) {
    await delay(250);
    const rows = (await listSubscriptions(rig.store.db)).filter((r) => r.desiredIds.length > 0);
    const live = rows.filter((r) => r.state === 'active' && r.graphSubscriptionId !== null);
    const alive = rig.sim.counters().subscriptionsAlive;
    const done = rows.length > 0 && live.length === rows.length && alive === rows.length;
    if (done && (await countRows(rig, 'presence_state')) >= peopleWatched) {
      return {
        keeper,
        convergeRealMs: Date.now() - started,
        plannedSubscriptions: rows.length,
        subscriptionsAlive: alive,
        startupResyncCalls: (rig.sim.counters().routes[RESYNC_ROUTE] ?? 0) - resyncsBefore,
      };
    }
  }
}

async function settle(rig: KeeperRig): Promise<void> {
  await delay(60);
  await rig.sim.deliveriesSettled();
  while ((await rig.notifications.worker.drainOnce()) > 0);
}

function lifecycleCount(counters: Record<string, number>): number {
  return Object.entries(counters)
    .filter(([name]) => name.startsWith('lifecycle.'))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** Runs the simulated hours at `clockSpeed` with presence changes; counts calls and notifications. */
async function runHours(
  rig: KeeperRig,
  org: KeeperOrg,
  options: KeeperBenchOptions,
  keeper: SubscriptionKeeper,
) {
  await settle(rig);
  const before = rig.sim.counters();
  const changesBefore = await countRows(rig, 'presence_changes');
  const simStart = rig.sim.clock.now();
  rig.sim.clock.setSpeed(options.clockSpeed);
  keeper.wake();
  const watched = [...new Set(org.watches.map((w) => w.targetId))];
  const presenceChanges = await drivePresence(rig.sim, {
    durationMs: options.simulatedHours * HOUR_MS,
    changes: Math.round(options.presenceChangesPerHour * options.simulatedHours),
    people: watched,
    seed: (options.seed ?? 4242) + 1,
  });
  const atEnd = rig.sim.counters();
  const simElapsed = rig.sim.clock.now() - simStart;
  rig.sim.clock.setSpeed(1);
  await settle(rig);
  const after = rig.sim.counters();
  const graphCallsPerHour: Record<string, number> = {};
  for (const [route, n] of Object.entries(atEnd.routes)) {
    const calls = n - (before.routes[route] ?? 0);
    if (route.includes('/v1.0/') && calls > 0)
      graphCallsPerHour[route] = (calls * HOUR_MS) / simElapsed;
  }
  const delta = (name: string): number =>
    (after.counters[name] ?? 0) - (before.counters[name] ?? 0);
  return {
    graphCallsPerHour,
    presenceChanges,
    presenceNotifications:
      delta('notificationsDelivered') -
      (lifecycleCount(after.counters) - lifecycleCount(before.counters)),
    lostNotifications: delta('notificationsFailed') + delta('notificationsDropped'),
    lapses: delta('subscriptions.expired'),
    changesEmitted: (await countRows(rig, 'presence_changes')) - changesBefore,
  };
}

/** Makes every live subscription due and measures the process CPU of the keeper pass that renews them. */
async function measureRenewalCycle(
  rig: KeeperRig,
  running: SubscriptionKeeper,
): Promise<KeeperBenchFigures['renewalCycle']> {
  await running.stop();
  rig.sim.clock.advance(DEFAULT_KEEPER_CONFIG.leaseMs);
  await settle(rig);
  const keeper = rig.keeper();
  const rows = await listSubscriptions(rig.store.db);
  for (const row of rows) await scheduleSubscriptionAction(rig.store.db, row, rig.sim.clock.now());
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const pass = await keeper.runOnce();
  const used = process.cpuUsage(cpu);
  return {
    renewed: pass.actions.renew,
    cpuMs: (used.user + used.system) / 1000,
    realMs: Number(process.hrtime.bigint() - started) / 1e6,
  };
}
