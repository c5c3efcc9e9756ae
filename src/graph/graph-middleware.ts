import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { AppError } from '../errors/app-error';

/** The fetch function the terminal handler calls (the global `fetch` by default). */
export type FetchImpl = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

function withHeader(context: Context, name: string, value: string): void {
  const headers = new Headers(context.options?.headers);
  headers.set(name, value);
  context.options = { ...context.options, headers };
}

/**
 * Sets `Authorization: Bearer <token>` on every request. The SDK's own AuthenticationHandler
 * adds it only for https Graph hosts, so it would send nothing to the loopback simulator.
 */
export class BearerTokenMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly getAccessToken: () => Promise<string>) {}

  /** Adds the header, then hands the request on. */
  async execute(context: Context): Promise<void> {
    withHeader(context, 'Authorization', `Bearer ${await this.getAccessToken()}`);
    if (!this.next)
      throw new AppError('GRAPH_REQUEST_FAILED', 'BearerTokenMiddleware needs a next handler');
    await this.next.execute(context);
  }

  /** Chains the handler that sends the request. */
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * The last handler: sends the request with `fetchImpl`, aborting it after `timeoutMs`; `onResponse`
 * hears `undefined` when a request starts and the raw response when one arrives.
 */
export class TimedFetchHandler implements Middleware {
  constructor(
    private readonly fetchImpl: FetchImpl,
    private readonly timeoutMs: number,
    private readonly onResponse: (response: Response | undefined) => void = () => undefined,
  ) {}

  /** Sends the request; the timeout also covers reading the response body. */
  async execute(context: Context): Promise<void> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const given = context.options?.signal;
    const signal = given ? AbortSignal.any([given, timeout]) : timeout;
    this.onResponse(undefined);
    const request = context.request as Parameters<FetchImpl>[0];
    const response = await this.fetchImpl(request, { ...context.options, signal });
    this.onResponse(response);
    context.response = response;
  }
}
