import type { AlertKind } from '../store/conversation-alerts';
import type { PresenceChange } from '../store/presence-change-queue';
import type { Watch } from '../store/watches';

const AVAILABLE = 'available';

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * What a watch should be told about a change, or null for nothing: a first sighting never alerts;
 * `onlyWhenAvailable` alerts only on becoming Available; otherwise availability changes alert, and
 * activity-only changes too when the watch includes activity. Values compare case-insensitively.
 */
export function alertKindFor(watch: Watch, change: PresenceChange): AlertKind | null {
  const { from, to } = change;
  if (from === null) return null;
  const availabilityChanged = !same(from.availability, to.availability);
  if (watch.onlyWhenAvailable) {
    return availabilityChanged && same(to.availability, AVAILABLE) ? 'availability' : null;
  }
  if (availabilityChanged) return 'availability';
  if (watch.includeActivity && !same(from.activity, to.activity)) return 'activity';
  return null;
}
