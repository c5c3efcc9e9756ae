import type { RandomSource } from '../../tools/simulator/seeded-random';
import type { StoreExecutor } from '../../src/store/database-schema';
import { insertPresenceChange, type PresenceValue } from '../../src/store/presence-change-queue';
import { inTransaction } from '../../src/store/store-transaction';
import { upsertWatch } from '../../src/store/watches';
import { addConversation } from '../alerts/alert-harness';
import type { FakeBotConnector } from '../helpers/fake-bot-connector';

export const FAULTS_TENANT = 'tenant-teams-faults';

/** One presence change the scenario queues `atMs` after it starts, and who watches the person. */
export interface PlannedChange {
  readonly atMs: number;
  readonly userId: string;
  readonly from: PresenceValue;
  readonly to: PresenceValue;
  /** The line the alert card should show: "Person s-017 is now Be right back". */
  readonly line: string;
  readonly watchers: readonly string[];
}

/** The conversations and the changes (in queue order) of the scenario. */
export interface FaultsPlan {
  readonly conversations: readonly string[];
  readonly changes: readonly PlannedChange[];
}

const STATES: ReadonlyArray<readonly [string, string]> = [
  ['Available', 'Available'],
  ['Busy', 'Busy'],
  ['Away', 'Away'],
  ['BeRightBack', 'Be right back'],
  ['DoNotDisturb', 'Do not disturb'],
];

const CONVERSATIONS = 30;
const STREAM_CHANGES = 360;
const STREAM_SPACING_MS = 100;
const ALL_HANDS = [
  { atMs: 8_000, prefix: 'a1', people: 25 },
  { atMs: 24_000, prefix: 'a2', people: 25 },
];
const DEPARTMENT = { atMs: 14_000, prefix: 'd', people: 150 };

/** The display name the scenario gives a person. */
export function personName(userId: string): string {
  return `Person ${userId}`;
}

function presence(availability: string): PresenceValue {
  return { availability, activity: availability };
}

function change(
  random: RandomSource,
  atMs: number,
  userId: string,
  watchers: readonly string[],
): PlannedChange {
  const toIndex = Math.floor(random() * STATES.length);
  const fromIndex = (toIndex + 1 + Math.floor(random() * (STATES.length - 1))) % STATES.length;
  const [to, words] = STATES[toIndex]!;
  const [from] = STATES[fromIndex]!;
  return {
    atMs,
    userId,
    from: presence(from),
    to: presence(to),
    line: `${personName(userId)} is now ${words}`,
    watchers,
  };
}

function twoOf(random: RandomSource, conversations: readonly string[]): string[] {
  const first = Math.floor(random() * conversations.length);
  const second =
    (first + 1 + Math.floor(random() * (conversations.length - 1))) % conversations.length;
  return [conversations[first]!, conversations[second]!];
}

/**
 * 30 conversations in one tenant; a stream of 360 people changing 100 ms apart (each watched in two
 * conversations), two all-hands moments (25 people watched everywhere) and one department channel
 * (conv-00) whose 150 people change at once. Every person changes once, so every alert is one line.
 */
export function faultsPlan(random: RandomSource): FaultsPlan {
  const conversations = Array.from(
    { length: CONVERSATIONS },
    (_, i) => `conv-${String(i).padStart(2, '0')}`,
  );
  const changes: PlannedChange[] = [];
  for (let i = 0; i < STREAM_CHANGES; i += 1) {
    const userId = `s-${String(i).padStart(3, '0')}`;
    changes.push(change(random, i * STREAM_SPACING_MS, userId, twoOf(random, conversations)));
  }
  for (const moment of ALL_HANDS) {
    for (let i = 0; i < moment.people; i += 1) {
      changes.push(change(random, moment.atMs, `${moment.prefix}-${i}`, conversations));
    }
  }
  for (let i = 0; i < DEPARTMENT.people; i += 1) {
    const userId = `${DEPARTMENT.prefix}-${String(i).padStart(3, '0')}`;
    changes.push(change(random, DEPARTMENT.atMs, userId, [conversations[0]!]));
  }
  changes.sort((a, b) => a.atMs - b.atMs);
  return { conversations, changes };
}

/** Stores the plan's conversations (references to the fake connector) and watches. */
export async function storeFaultsPlan(
  db: StoreExecutor,
  connector: FakeBotConnector,
  plan: FaultsPlan,
  now: number,
): Promise<void> {
  await inTransaction(db, async (executor) => {
    for (const conversationId of plan.conversations) {
      await addConversation(executor, connector, conversationId, { tenantId: FAULTS_TENANT });
    }
    for (const planned of plan.changes) {
      for (const conversationId of planned.watchers) {
        await upsertWatch(
          executor,
          {
            tenantId: FAULTS_TENANT,
            conversationId,
            watcherId: `watcher-${conversationId}`,
            targetId: planned.userId,
            onlyWhenAvailable: false,
            once: false,
            includeActivity: false,
          },
          now,
        );
      }
    }
  });
}

/** Writes the plan's presence changes on real timers, each at its offset from `startedAt`. */
export async function queueChangesOverTime(
  db: StoreExecutor,
  plan: FaultsPlan,
  startedAt: number,
  now: () => number,
): Promise<void> {
  for (const planned of plan.changes) {
    const wait = startedAt + planned.atMs - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const time = now();
    await insertPresenceChange(db, {
      tenantId: FAULTS_TENANT,
      userId: planned.userId,
      from: planned.from,
      to: planned.to,
      observedAt: time,
      source: 'notification',
      createdAt: time,
    });
  }
}
