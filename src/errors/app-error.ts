import { ERROR_CODES, type ErrorCode } from './error-codes';

/** An error with a registered code; `detail` is safe to log, never secret. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${ERROR_CODES[code]}: ${detail}` : ERROR_CODES[code], options);
    this.code = code;
    this.detail = detail;
  }

  /** The `{code, message}` shape used in CLI output and logs. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** True when `error` is an AppError, optionally with the given code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
