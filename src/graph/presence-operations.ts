import { AppError } from '../errors/app-error';
import type { GraphCall } from './graph-caller';
import { pathSegment } from './graph-text';
import type { GraphPresence } from './graph-types';
import { MAX_PRESENCE_IDS, uniqueIds } from './presence-resource';

/** Presence reads; each takes a delegated access token first. */
export interface PresenceOperations {
  /** Presence of every id (deduplicated case-insensitively), in requests of at most 650 ids. */
  getPresencesByUserId(accessToken: string, ids: readonly string[]): Promise<GraphPresence[]>;
  getPresence(accessToken: string, userId: string): Promise<GraphPresence>;
}

function presenceText(value: unknown): string {
  return typeof value === 'string' && value.length > 0 ? value : 'PresenceUnknown';
}

/**
 * Reads Graph's presence JSON; values are kept as received, missing ones read PresenceUnknown, and
 * a `sequenceNumber` is kept only when it is a non-empty string.
 */
export function toGraphPresence(raw: unknown): GraphPresence {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof body.id !== 'string' || body.id.length === 0) {
    throw new AppError('GRAPH_REQUEST_FAILED', 'a presence has no id');
  }
  const presence: GraphPresence = {
    id: body.id,
    availability: presenceText(body.availability),
    activity: presenceText(body.activity),
  };
  const sequenceNumber = body.sequenceNumber;
  if (typeof sequenceNumber === 'string' && sequenceNumber.length > 0) {
    presence.sequenceNumber = sequenceNumber;
  }
  return presence;
}

/** `items` cut into consecutive chunks of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

/** Builds the presence reads over `call`; chunks are requested one after another. */
export function presenceOperations(call: GraphCall): PresenceOperations {
  return {
    async getPresencesByUserId(token, ids) {
      const presences: GraphPresence[] = [];
      for (const chunk of chunked(uniqueIds(ids), MAX_PRESENCE_IDS)) {
        const page = await call(token, 'getPresencesByUserId', (client): Promise<unknown> =>
          client.api('/communications/getPresencesByUserId').post({ ids: chunk }),
        );
        const value = (page as { value?: unknown } | undefined)?.value;
        if (Array.isArray(value)) presences.push(...value.map(toGraphPresence));
      }
      return presences;
    },
    getPresence: (token, userId) =>
      call(token, 'getPresence', async (client) =>
        toGraphPresence(await client.api(`/users/${pathSegment(userId)}/presence`).get()),
      ),
  };
}
