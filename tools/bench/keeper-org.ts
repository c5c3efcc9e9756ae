import type { WatchInput } from '../../src/store/watches';
import { seededRandom, type RandomSource } from '../simulator/seeded-random';
import type { SimUser } from '../simulator/directory/sim-user';

/** The size of the organisation the keeper bench generates. */
export interface KeeperOrgSize {
  /** People who watch someone (each asks in `conversations / watchers` conversations). */
  readonly watchers: number;
  /** Distinct people watched; every one of them is watched at least once. */
  readonly watchedPeople: number;
  readonly conversations: number;
  /** People in the directory (at least `watchers`). */
  readonly people: number;
  /** Zipf exponent of the watched people's popularity. */
  readonly zipfExponent: number;
  readonly seed: number;
}

/** A generated organisation: its directory, who watches whom in which conversation, who is watched. */
export interface KeeperOrg {
  readonly tenantId: string;
  readonly users: SimUser[];
  readonly watcherIds: string[];
  /** Watched people, most popular first. */
  readonly watchedIds: string[];
  readonly watches: WatchInput[];
}

/** The bench tenant's id. */
export const BENCH_TENANT_ID = '7e57be9c-0000-4000-8000-00000000be9c';

/** A deterministic object id for person `n`. */
export function benchUserId(n: number): string {
  return `be9c0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function benchUser(n: number): SimUser {
  const name = `Person ${n}`;
  const mail = `person${n}@bench.example`;
  return {
    id: benchUserId(n),
    displayName: name,
    givenName: 'Person',
    surname: String(n),
    mail,
    userPrincipalName: mail,
    jobTitle: '',
    department: `Department ${n % 40}`,
    officeLocation: '',
    businessPhones: [],
    mobilePhone: null,
    preferredLanguage: 'en-US',
  };
}

/** Draws ranks 0..n-1 with probability ∝ 1/(rank+1)^exponent. */
export function zipfSampler(n: number, exponent: number, random: RandomSource): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= n; rank += 1) {
    total += 1 / rank ** exponent;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] ?? total) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** How many people a conversation watches: 1 plus a geometric number (mean about 2.5 in all). */
function conversationSize(random: RandomSource): number {
  let size = 1;
  while (size < 12 && random() < 0.6) size += 1;
  return size;
}

/**
 * Generates the organisation: watchers are the first `watchers` people, the watched people a seeded
 * sample of everyone; conversation i belongs to watcher i mod watchers and watches a few people drawn
 * by Zipf popularity (the first `watchedPeople` conversations start with a distinct person each).
 */
export function generateKeeperOrg(size: KeeperOrgSize): KeeperOrg {
  const random = seededRandom(size.seed);
  const people = Math.max(size.people, size.watchers, size.watchedPeople);
  const users = Array.from({ length: people }, (_, n) => benchUser(n));
  const watcherIds = users.slice(0, size.watchers).map((u) => u.id);
  const watchedIds = shuffled(
    users.map((u) => u.id),
    random,
  ).slice(0, size.watchedPeople);
  const popular = zipfSampler(watchedIds.length, size.zipfExponent, random);
  const watches: WatchInput[] = [];
  for (let c = 0; c < size.conversations; c += 1) {
    const watcherId = watcherIds[c % watcherIds.length] as string;
    const targets = new Set<string>();
    if (c < watchedIds.length) targets.add(watchedIds[c] as string);
    const wanted = conversationSize(random);
    for (let tries = 0; targets.size < wanted && tries < wanted * 4; tries += 1) {
      const target = watchedIds[popular()] as string;
      if (target !== watcherId) targets.add(target);
    }
    for (const targetId of targets) {
      watches.push({
        tenantId: BENCH_TENANT_ID,
        conversationId: `bench-conversation-${c}`,
        watcherId,
        targetId,
        onlyWhenAvailable: false,
        once: false,
        includeActivity: false,
      });
    }
  }
  return { tenantId: BENCH_TENANT_ID, users, watcherIds, watchedIds, watches };
}
