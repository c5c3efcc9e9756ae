import type { Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logging/logger';
import { GraphError, toGraphError } from './graph-error';
import { createSdkClient, nextLinkPath, type GraphTransportOptions } from './graph-sdk-client';

/** Runs one Graph operation with a delegated access token; failures become coded AppErrors. */
export type GraphCall = <T>(
  accessToken: string,
  operation: string,
  send: (client: Client) => Promise<T>,
) => Promise<T>;

/** Hears every finished Graph operation and its last HTTP status (undefined: no response). */
export type GraphCallObserver = (operation: string, status: number | undefined) => void;

/** What the caller needs: where Graph is, a logger, and a clock for Retry-After dates. */
export interface GraphCallerOptions extends GraphTransportOptions {
  logger: Logger;
  now?: () => number;
  onCall?: GraphCallObserver;
}

/** Builds the call runner; it logs each call at debug level, never the token. */
export function createGraphCall(options: GraphCallerOptions): GraphCall {
  const logger = options.logger.child({ module: 'graph-client' });
  const now = options.now ?? Date.now;
  return async (accessToken, operation, send) => {
    let lastResponse: Response | undefined;
    const client = createSdkClient(
      options,
      async () => accessToken,
      (response) => (lastResponse = response),
    );
    const started = Date.now();
    try {
      const result = await send(client);
      logger.debug({ operation, durationMs: Date.now() - started }, 'graph call succeeded');
      options.onCall?.(operation, lastResponse?.status);
      return result;
    } catch (error) {
      const failure = toGraphError(error, operation, now(), lastResponse);
      const fields = failure instanceof GraphError ? failure.logFields() : failure.toJSON();
      logger.debug({ ...fields, durationMs: Date.now() - started }, 'graph call failed');
      options.onCall?.(operation, lastResponse?.status);
      throw failure;
    }
  };
}

/** A Graph collection page. */
interface CollectionPage {
  value?: unknown;
  '@odata.nextLink'?: unknown;
}

/** Reads every page of a collection, following `@odata.nextLink` (only within `baseUrl`). */
export async function readAllPages(
  client: Client,
  baseUrl: string,
  firstPath: string,
): Promise<unknown[]> {
  const items: unknown[] = [];
  let path: string | undefined = firstPath;
  while (path !== undefined) {
    const page = ((await client.api(path).get()) ?? {}) as CollectionPage;
    if (Array.isArray(page.value)) items.push(...(page.value as unknown[]));
    const next = page['@odata.nextLink'];
    path = typeof next === 'string' && next.length > 0 ? nextLinkPath(baseUrl, next) : undefined;
  }
  return items;
}
