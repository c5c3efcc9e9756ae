import { AppError } from '../errors/app-error';
import type { ErrorCode } from '../errors/error-codes';
import { parseRetryAfter } from './retry-after';

/** What went wrong with one Graph call, in fields that are safe to log. */
export interface GraphFailure {
  /** Our name for the call, e.g. `renewSubscription`. */
  operation: string;
  /** HTTP status, or undefined when no response arrived (timeout, connection error). */
  status: number | undefined;
  /** Graph's `error.code` (e.g. `InvalidAuthenticationToken`), or the network error's name. */
  graphCode: string | undefined;
  requestId: string | undefined;
  /** How long Graph asked us to wait (from Retry-After), if it said. */
  retryAfterMs: number | undefined;
}

/** A failed Microsoft Graph call, coded by HTTP status (GRAPH_THROTTLED, GRAPH_NOT_FOUND, ...). */
export class GraphError extends AppError {
  readonly operation: string;
  readonly status: number | undefined;
  readonly graphCode: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, failure: GraphFailure, options?: { cause?: unknown }) {
    super(code, describeFailure(failure), options);
    this.operation = failure.operation;
    this.status = failure.status;
    this.graphCode = failure.graphCode;
    this.requestId = failure.requestId;
    this.retryAfterMs = failure.retryAfterMs;
  }

  /** The safe fields for a log line. */
  logFields(): Record<string, unknown> {
    return {
      code: this.code,
      operation: this.operation,
      status: this.status,
      graphCode: this.graphCode,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

function describeFailure(failure: GraphFailure): string {
  const parts = [
    failure.operation,
    failure.status === undefined ? 'no response' : `HTTP ${failure.status}`,
  ];
  if (failure.graphCode) parts.push(failure.graphCode);
  if (failure.requestId) parts.push(`request-id ${failure.requestId}`);
  return parts.join(' ');
}

const CODES_BY_STATUS = new Map<number, ErrorCode>([
  [400, 'GRAPH_BAD_REQUEST'],
  [401, 'GRAPH_UNAUTHORIZED'],
  [403, 'GRAPH_FORBIDDEN'],
  [404, 'GRAPH_NOT_FOUND'],
  [408, 'GRAPH_UNAVAILABLE'],
  [409, 'GRAPH_CONFLICT'],
  [429, 'GRAPH_THROTTLED'],
]);

const NETWORK_ERROR_NAMES = new Set(['TimeoutError', 'AbortError', 'TypeError', 'FetchError']);

/** The error code for an HTTP status; undefined status means no response (network failure). */
export function errorCodeForStatus(status: number | undefined): ErrorCode {
  if (status === undefined) return 'GRAPH_UNAVAILABLE';
  if (status >= 500 && status <= 599) return 'GRAPH_UNAVAILABLE';
  return CODES_BY_STATUS.get(status) ?? 'GRAPH_REQUEST_FAILED';
}

function positiveStatus(value: unknown): number | undefined {
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/** The fields the SDK puts on the errors it throws (its own GraphError wraps fetch failures too). */
interface SdkErrorFields {
  statusCode?: unknown;
  code?: unknown;
  requestId?: unknown;
  headers?: unknown;
  name?: unknown;
}

function textField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A fetch failure (timeout, refused, reset) as the SDK reports it: no status, the error's name. */
function isNetworkFailure(sdk: SdkErrorFields, status: number | undefined): boolean {
  const wrappedBySdk = typeof sdk.statusCode === 'number';
  return status === undefined && wrappedBySdk && NETWORK_ERROR_NAMES.has(textField(sdk.code) ?? '');
}

/**
 * Turns whatever a Graph SDK call threw into a GraphError (an AppError passes through unchanged).
 * `response` is the last raw response, if one arrived: the SDK loses its status and headers when
 * the error body is not Graph's JSON.
 */
export function toGraphError(
  error: unknown,
  operation: string,
  now: number,
  response?: Response,
): AppError {
  if (error instanceof AppError) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorFields;
  const status = positiveStatus(sdk.statusCode) ?? response?.status;
  const headers = sdk.headers instanceof Headers ? sdk.headers : response?.headers;
  const failure: GraphFailure = {
    operation,
    status,
    graphCode: textField(sdk.code) ?? textField(sdk.name),
    requestId: textField(sdk.requestId) ?? headers?.get('request-id') ?? undefined,
    retryAfterMs: parseRetryAfter(headers?.get('retry-after'), now),
  };
  const known = status !== undefined || isNetworkFailure(sdk, status);
  const code = known ? errorCodeForStatus(status) : 'GRAPH_REQUEST_FAILED';
  return new GraphError(code, failure, { cause: error });
}
