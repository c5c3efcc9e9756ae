import { AppError } from '../errors/app-error';
import type { ErrorCode } from '../errors/error-codes';
import { parseRetryAfter } from '../graph/retry-after';

/** A failed proactive send, coded by HTTP status (TEAMS_THROTTLED, TEAMS_CONVERSATION_GONE, ...). */
export class TeamsSendError extends AppError {
  /** HTTP status, or undefined when no response arrived. */
  readonly status: number | undefined;
  /** How long the connector asked us to wait (Retry-After), if it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    status: number | undefined,
    retryAfterMs: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(code, status === undefined ? 'no response' : `HTTP ${status}`, options);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The error code of a send's HTTP status: 429 throttled, 403/404 gone, 412/5xx/none unavailable. */
export function teamsErrorCodeForStatus(status: number | undefined): ErrorCode {
  if (status === undefined || status === 412 || status === 408 || status >= 500) {
    return 'TEAMS_UNAVAILABLE';
  }
  if (status === 429) return 'TEAMS_THROTTLED';
  if (status === 403 || status === 404) return 'TEAMS_CONVERSATION_GONE';
  return 'TEAMS_SEND_FAILED';
}

interface RestErrorFields {
  statusCode?: unknown;
  response?: { status?: unknown; headers?: { get?(name: string): string | undefined | null } };
}

/** Turns what a botbuilder send threw (a RestError, a network error) into a TeamsSendError. */
export function toTeamsSendError(error: unknown, now: number): TeamsSendError {
  if (error instanceof TeamsSendError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as RestErrorFields;
  const rawStatus = fields.statusCode ?? fields.response?.status;
  const status = typeof rawStatus === 'number' && rawStatus > 0 ? rawStatus : undefined;
  const retryAfter = fields.response?.headers?.get?.('retry-after');
  return new TeamsSendError(
    teamsErrorCodeForStatus(status),
    status,
    parseRetryAfter(retryAfter, now),
    { cause: error },
  );
}
