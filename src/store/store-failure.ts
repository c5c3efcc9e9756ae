import { AppError, isAppError } from '../errors/app-error';

/** Runs a store operation; any failure that is not already an AppError becomes STORE_UNAVAILABLE. */
export async function storeOperation<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('STORE_UNAVAILABLE', operation, { cause: error });
  }
}
