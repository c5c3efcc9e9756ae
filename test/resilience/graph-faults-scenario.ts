import assert from 'node:assert/strict';
import type { LifecycleEvent } from '../../tools/simulator/delivery/notification-items';
import {
  COMMON_PRESENCES,
  type PresenceState,
} from '../../tools/simulator/presence/presence-values';
import { backoffDelayMs, GRAPH_RETRY } from '../../src/backoff/backoff';
import type { KeeperConfig } from '../../src/watch/keeper-config';
import type { KeeperHarness } from '../watch/keeper-harness';

const MINUTE = 60_000;

/** Watchers and watched people of the scenario (lower-case object ids). */
export interface Cast {
  readonly watchers: readonly string[];
  readonly people: readonly string[];
}

/** Who watches whom: watcher index → indexes of watched people (person 8 has one watcher only). */
export const WATCHES: readonly (readonly number[])[] = [
  [0, 1, 2, 3],
  [0, 4, 5, 6],
  [1, 2, 5, 7],
  [3, 6, 8, 9],
  [0, 2, 4, 7, 9],
];

/** The watcher whose consent is revoked; everyone they watch has another watcher. */
export const REVOKED_WATCHER = 0;
/** Watched by watcher 3 only: removing that subscription leaves a real gap. */
export const SOLE_WATCHED_PERSON = 8;

/** A lifecycle event sent at `minute` for `watcher`'s subscription, with a presence change. */
export interface LifecycleStep {
  readonly minute: number;
  readonly event: Extract<LifecycleEvent, 'subscriptionRemoved' | 'missed'>;
  readonly watcher: number;
  /** Changed while nobody hears it: in the gap (removed) or with every delivery lost (missed). */
  readonly change?: { readonly person: number; readonly state: PresenceState };
}

/** The lifecycle events of the three hours (consent is revoked at minute 60). */
export const LIFECYCLE_STEPS: readonly LifecycleStep[] = [
  {
    minute: 20,
    event: 'subscriptionRemoved',
    watcher: 3,
    change: { person: 8, state: COMMON_PRESENCES.busy },
  },
  { minute: 40, event: 'missed', watcher: 2, change: { person: 7, state: COMMON_PRESENCES.away } },
  { minute: 80, event: 'subscriptionRemoved', watcher: 1 },
  { minute: 100, event: 'missed', watcher: 1, change: { person: 5, state: COMMON_PRESENCES.away } },
  {
    minute: 120,
    event: 'subscriptionRemoved',
    watcher: 3,
    change: { person: 8, state: COMMON_PRESENCES.away },
  },
  { minute: 140, event: 'missed', watcher: 4, change: { person: 9, state: COMMON_PRESENCES.busy } },
  { minute: 160, event: 'subscriptionRemoved', watcher: 2 },
  {
    minute: 170,
    event: 'missed',
    watcher: 3,
    change: { person: 6, state: COMMON_PRESENCES.beRightBack },
  },
];

/** What the gap bound is made of: the fault settings and how many failures in a row to allow. */
export interface GapBudget {
  readonly retryAfterMs: number;
  readonly latencyMs: number;
  readonly failuresInARow: number;
  /** Lifecycle delivery, inbox drain and keeper wake-up, plus a sampling step. */
  readonly noticeMs: number;
}

/**
 * The longest gap the keeper's design allows, in whole minutes: notice, the debounce, one poll,
 * every tolerated failure waiting its full backoff (Retry-After floor, worst jitter) plus the
 * latency of every call.
 */
export function gapBoundMs(config: Omit<KeeperConfig, 'publicBaseUrl'>, budget: GapBudget): number {
  const policy = { ...GRAPH_RETRY, baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs };
  let total = budget.noticeMs + config.debounceMs + config.pollIntervalMs + budget.latencyMs;
  for (let attempt = 1; attempt <= budget.failuresInARow; attempt += 1) {
    total += backoffDelayMs(policy, attempt, budget.retryAfterMs, () => 1) + budget.latencyMs;
  }
  return Math.ceil(total / MINUTE) * MINUTE;
}

/** The item at `index`, which must exist. */
export function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  assert.ok(item !== undefined, `no item ${index}`);
  return item;
}

/** Five watchers and ten watched people from the simulator's directory. */
export function castOf(h: KeeperHarness): Cast {
  const ids = h.sim.directory.listUsers().map((user) => user.id.toLowerCase());
  return { watchers: ids.slice(0, WATCHES.length), people: ids.slice(5, 15) };
}

/** Stores every watch of WATCHES, each watcher in their own chat `chat-<index>`. */
export async function watchEveryone(h: KeeperHarness, cast: Cast): Promise<void> {
  for (const [w, targets] of WATCHES.entries()) {
    const watcher = at(cast.watchers, w);
    for (const p of targets) await h.watch(`chat-${w}`, watcher, at(cast.people, p));
  }
}

/** The live Graph subscription the keeper holds for `ownerId` (waits while it is being replaced). */
async function heldSubscription(h: KeeperHarness, ownerId: string): Promise<string> {
  for (;;) {
    const held = (await h.rows()).find((r) => r.ownerId === ownerId)?.graphSubscriptionId;
    if (held && h.live().some((s) => s.id === held)) return held;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sends the step's lifecycle event with its unheard presence change; returns when (simulated). */
export async function performStep(
  h: KeeperHarness,
  cast: Cast,
  step: LifecycleStep,
): Promise<number> {
  const subscriptionId = await heldSubscription(h, at(cast.watchers, step.watcher));
  const person = step.change && at(cast.people, step.change.person);
  if (step.event === 'subscriptionRemoved') {
    h.sim.triggerLifecycle(subscriptionId, step.event);
    if (step.change && person) h.sim.setPresence(person, step.change.state);
    return h.sim.clock.now();
  }
  if (step.change && person) {
    h.sim.faults.setDeliveryDropShare(1);
    h.sim.setPresence(person, step.change.state);
    await h.sim.deliveriesSettled();
    h.sim.faults.setDeliveryDropShare(0);
  }
  const sentAt = h.sim.clock.now();
  h.sim.triggerLifecycle(subscriptionId, step.event);
  return sentAt;
}
