import { invalidRequest as invalid } from '../http/graph-error';
import { splitOutsideQuotes } from '../http/quoted-split';

/** Graph's limit on ids in one presence subscription. */
export const MAX_SUBSCRIPTION_IDS = 650;

const SINGLE = /^\/?communications\/presences\/([^/?'"\s]+)$/i;
const BULK = /^\/?communications\/presences\?\$filter=id\s+in\s+\((.*)\)\s*$/i;
const QUOTED = /^'([^']+)'$/;

function bulkIds(list: string): string[] {
  const items = splitOutsideQuotes(list, /,/).map((item) => item.trim());
  const ids = items.map((item) => {
    const quoted = QUOTED.exec(item);
    if (!quoted?.[1]) {
      throw invalid(`Invalid filter clause: the id '${item}' must be enclosed in single quotes.`);
    }
    return quoted[1];
  });
  if (ids.length > MAX_SUBSCRIPTION_IDS) {
    throw invalid(`Too many ids in the resource: at most ${MAX_SUBSCRIPTION_IDS} are allowed.`);
  }
  return ids;
}

/** The user ids a presence subscription resource covers; anything else is Graph's 400. */
export function parsePresenceResource(resource: string): string[] {
  const decoded = safeDecode(resource.trim());
  const single = SINGLE.exec(decoded);
  if (single?.[1]) return [single[1]];
  const bulk = BULK.exec(decoded);
  if (bulk?.[1] !== undefined) return bulkIds(bulk[1]);
  throw invalid(
    `Resource '${resource}' is not supported: the simulator serves presence subscriptions only.`,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
