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
  const parts = [failure.operation, failure.status === undefined ? 'no response' : `HTTP ${failure.status}`];
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

/** The fields the SDK puts on the errors it throws (its own GraphError, or a fetch failure). */
interface SdkErrorFields {
  statusCode?: unknown;
  code?: unknown;
  requestId?: unknown;
  headers?: unknown;
  name?: unknown;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  return undefined;
}

function textField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Turns whatever a Graph SDK call threw into a GraphError (an AppError passes through unchanged). */
export function toGraphError(error: unknown, operation: string, now: number): AppError {
  if (error instanceof AppError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorFields;
  const hasStatus = typeof fields.statusCode === 'number' && fields.statusCode > 0;
  const status = hasStatus ? (fields.statusCode as number) : undefined;
  const graphCode = textField(fields.code) ?? textField(fields.name);
  const networkFailure = status === undefined && NETWORK_ERROR_NAMES.has(graphCode ?? '');
  const failure: GraphFailure = {
    operation,
    status,
    graphCode,
    requestId: textField(fields.requestId) ?? headerValue(fields.headers, 'request-id'),
    retryAfterMs: parseRetryAfter(headerValue(fields.headers, 'retry-after'), now),
  };
  const code =
    status === undefined && !networkFailure ? 'GRAPH_REQUEST_FAILED' : errorCodeForStatus(status);
  return new GraphError(code, failure, { cause: error });
}
