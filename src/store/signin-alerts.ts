import type { EpochMs, StoreExecutor } from './database-schema';
import { normalizeEntraId } from './entra-ids';
import { storeOperation } from './store-failure';

/** The user a "sign in again" alert is about, and when. */
export interface SigninAlertSubject {
  readonly tenantId: string;
  readonly userId: string;
  readonly now: EpochMs;
}

/** Raises a user's "sign in again" alert; true only when it was not already raised (once per episode). */
export async function raiseSigninAlert(
  db: StoreExecutor,
  subject: SigninAlertSubject,
): Promise<boolean> {
  const row = await storeOperation('raise sign-in alert', () =>
    db
      .insertInto('user_signin_alerts')
      .values({
        tenant_id: subject.tenantId,
        user_id: normalizeEntraId(subject.userId),
        raised_at: subject.now,
        cleared_at: null,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['tenant_id', 'user_id'])
          .doUpdateSet({ raised_at: subject.now, cleared_at: null })
          .where('user_signin_alerts.cleared_at', 'is not', null),
      )
      .returning('user_id')
      .executeTakeFirst(),
  );
  return row !== undefined;
}

/** Clears a user's alert once they signed in again; true when one was raised. */
export async function clearSigninAlert(
  db: StoreExecutor,
  subject: SigninAlertSubject,
): Promise<boolean> {
  const result = await storeOperation('clear sign-in alert', () =>
    db
      .updateTable('user_signin_alerts')
      .set({ cleared_at: subject.now })
      .where('tenant_id', '=', subject.tenantId)
      .where('user_id', '=', normalizeEntraId(subject.userId))
      .where('cleared_at', 'is', null)
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows) > 0;
}

/** Whether a user's "sign in again" alert is raised and not yet cleared. */
export async function isSigninAlertRaised(
  db: StoreExecutor,
  tenantId: string,
  userId: string,
): Promise<boolean> {
  const row = await storeOperation('read sign-in alert', () =>
    db
      .selectFrom('user_signin_alerts')
      .select('user_id')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', normalizeEntraId(userId))
      .where('cleared_at', 'is', null)
      .executeTakeFirst(),
  );
  return row !== undefined;
}
