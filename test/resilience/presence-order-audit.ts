import type { StoreDatabase } from '../../src/store/open-database';
import { getPresenceStates } from '../../src/store/presence-state';
import type { KeeperHarness } from '../watch/keeper-harness';
import { presenceKey, type HistoryEntry } from './presence-order-scenario';

/** A recorded change (what a card is made from) that no forward step of Graph's history explains. */
export interface BackwardsChange {
  readonly person: string;
  readonly id: number;
  readonly to: string;
}

/** People whose recorded presence differs from the simulator's, with both values. */
export async function wrongFinalStates(
  h: KeeperHarness,
  people: readonly string[],
): Promise<string[]> {
  const stored = await getPresenceStates(h.store.db, h.tenantId, people);
  return people.flatMap((person) => {
    const graph = presenceKey(h.sim.getPresence(person));
    const state = stored.get(person.toLowerCase());
    const ours = state ? presenceKey(state) : 'none';
    return ours === graph ? [] : [`${person}: ours ${ours}, Graph ${graph}`];
  });
}

/**
 * The recorded changes that move someone backwards. Each person's changes, in the order they
 * were recorded, must be a subsequence of Graph's history: each one's new presence must be a
 * later entry than the previous change's, one that Graph had reached when it was recorded.
 */
export async function backwardsChanges(
  store: StoreDatabase,
  history: ReadonlyMap<string, readonly HistoryEntry[]>,
): Promise<BackwardsChange[]> {
  const rows = await store.db
    .selectFrom('presence_changes')
    .select(['id', 'user_id', 'to_availability', 'to_activity', 'created_at'])
    .orderBy('id')
    .execute();
  const position = new Map<string, number>();
  const found: BackwardsChange[] = [];
  for (const row of rows) {
    const entries = history.get(row.user_id) ?? [];
    const to = presenceKey({ availability: row.to_availability, activity: row.to_activity });
    const from = position.get(row.user_id) ?? -1;
    const next = entries.findIndex((e, i) => i > from && e.key === to && e.at <= row.created_at);
    if (next < 0) found.push({ person: row.user_id, id: row.id, to });
    else position.set(row.user_id, next);
  }
  return found;
}
