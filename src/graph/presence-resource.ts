import { AppError } from '../errors/app-error';
import { odataString } from './graph-text';

/** Graph's limit on ids in one presence subscription and in one getPresencesByUserId request. */
export const MAX_PRESENCE_IDS = 650;

/** `ids` without repeats, compared case-insensitively; the first spelling wins. */
export function uniqueIds(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = id.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The subscription resource for `ids`: `/communications/presences/{id}` for one person, else
 * `/communications/presences?$filter=id in ('a','b')` (Graph answers 400 to unquoted ids).
 * More than 650 distinct ids is AppError('WATCH_LIMIT_EXCEEDED').
 */
export function presenceResource(ids: readonly string[]): string {
  const distinct = uniqueIds(ids);
  if (distinct.length === 0 || distinct.some((id) => id.trim().length === 0)) {
    throw new AppError('GRAPH_BAD_REQUEST', 'a presence resource needs non-empty user ids');
  }
  if (distinct.length > MAX_PRESENCE_IDS) {
    throw new AppError('WATCH_LIMIT_EXCEEDED', `${distinct.length} people in one subscription`);
  }
  if (distinct.length === 1)
    return `/communications/presences/${encodeURIComponent(distinct[0] as string)}`;
  return `/communications/presences?$filter=id in (${distinct.map(odataString).join(',')})`;
}
