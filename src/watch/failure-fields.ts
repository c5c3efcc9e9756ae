import { isAppError } from '../errors/app-error';
import { GraphError } from '../graph/graph-error';

/** The registered code of a failure, or UNEXPECTED for anything that is not an AppError. */
export function failureCode(error: unknown): string {
  return isAppError(error) ? error.code : 'UNEXPECTED';
}

/** How long Graph asked us to wait, when the failure is a throttled or unavailable Graph call. */
export function failureRetryAfterMs(error: unknown): number | undefined {
  return error instanceof GraphError ? error.retryAfterMs : undefined;
}

/** The safe fields of a failure for a log line: its code and, for Graph failures, Graph's own code. */
export function failureLogFields(error: unknown): Record<string, unknown> {
  if (error instanceof GraphError) return error.logFields();
  if (isAppError(error)) return { code: error.code, detail: error.detail };
  return { code: 'UNEXPECTED', err: error };
}

/** True for failures worth retrying soon: throttling, Graph or network unavailable, store hiccups. */
export function isTransientFailure(error: unknown): boolean {
  return (
    isAppError(error, 'GRAPH_THROTTLED') ||
    isAppError(error, 'GRAPH_UNAVAILABLE') ||
    isAppError(error, 'STORE_UNAVAILABLE')
  );
}
