import { Client } from '@microsoft/microsoft-graph-client';
import { AppError } from '../errors/app-error';
import { BearerTokenMiddleware, TimedFetchHandler, type FetchImpl } from './graph-middleware';

/** How to reach Graph: `baseUrl` includes the version, e.g. `https://graph.microsoft.com/v1.0`. */
export interface GraphTransportOptions {
  baseUrl: string;
  fetchImpl?: FetchImpl;
  /** Per request, including reading the body (default 30 s). */
  timeoutMs?: number;
}

/** The default per-request timeout. */
export const DEFAULT_GRAPH_TIMEOUT_MS = 30_000;

/** The base URL split the way the SDK wants it: host part ending in `/`, and the version. */
export function splitGraphBaseUrl(baseUrl: string): { host: string; version: string } {
  const match = /^(https?:\/\/[^?#]+?\/)(v1\.0|beta)\/?$/i.exec(baseUrl.trim());
  if (!match?.[1] || !match[2]) {
    throw new AppError('CONFIG_INVALID', `Graph base URL must end in /v1.0 or /beta: ${baseUrl}`);
  }
  return { host: match[1], version: match[2] };
}

/**
 * An SDK client whose requests carry the bearer token from `getAccessToken`, with no retry handler;
 * `onResponse` sees each raw response (the SDK drops status and headers of non-JSON error bodies).
 */
export function createSdkClient(
  options: GraphTransportOptions,
  getAccessToken: () => Promise<string>,
  onResponse?: (response: Response | undefined) => void,
): Client {
  const { host, version } = splitGraphBaseUrl(options.baseUrl);
  const auth = new BearerTokenMiddleware(getAccessToken);
  auth.setNext(
    new TimedFetchHandler(
      options.fetchImpl ?? fetch,
      options.timeoutMs ?? DEFAULT_GRAPH_TIMEOUT_MS,
      onResponse,
    ),
  );
  return Client.initWithMiddleware({ middleware: auth, baseUrl: host, defaultVersion: version });
}

/**
 * The path of an `@odata.nextLink` relative to `baseUrl`. A link to any other origin or version is
 * refused, so the bearer token is never sent elsewhere (and the SDK cannot parse http links itself).
 */
export function nextLinkPath(baseUrl: string, nextLink: string): string {
  const base = new URL(baseUrl.replace(/\/?$/, '/'));
  const link = new URL(nextLink);
  if (link.origin !== base.origin || !link.pathname.startsWith(base.pathname)) {
    throw new AppError(
      'GRAPH_REQUEST_FAILED',
      'an @odata.nextLink points outside the Graph base URL',
    );
  }
  return `/${link.pathname.slice(base.pathname.length)}${link.search}`;
}
