import type { StoreExecutor } from '../store/database-schema';
import { finishAlerts, rescheduleAlerts } from '../store/alert-queue';
import type { LeaseHolder } from '../store/work-queue';
import { backoffDelayMs, type BackoffPolicy } from '../backoff/backoff';
import { settleLostConversation, type LostConversationDeps } from './lost-conversation';
import { toTeamsSendError } from './teams-send-error';

/** What handling a failed send needs from the sender. */
export interface AlertSendFailureDeps extends LostConversationDeps {
  /** The lease owner the sender claims alerts as. */
  readonly owner: string;
  readonly random: () => number;
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
}

/** One failed card: its own alerts, and those of the cards queued behind it in order. */
export interface FailedCardAlerts {
  readonly failed: number[];
  readonly later: number[];
}

/**
 * Settles a failed card: 403/404 drops every alert and settles the lost conversation (a thread's
 * watches move to its channel, anything else is forgotten and its watchers told); a final or
 * non-retryable failure ends the card's alerts as `failed` and frees the later ones now; otherwise
 * the card's alerts are charged the attempt and all wait for the backoff (429 honours Retry-After).
 */
export async function handleAlertSendFailure(
  deps: AlertSendFailureDeps,
  conversationId: string,
  ids: FailedCardAlerts,
  attempt: number,
  error: unknown,
): Promise<void> {
  const now = deps.now();
  const failure = toTeamsSendError(error, now);
  const detail = `${failure.code}${failure.status === undefined ? '' : ` (HTTP ${failure.status})`}`;
  deps.log.warn(
    { conversationId, code: failure.code, status: failure.status, attempt },
    'alert send failed',
  );
  if (failure.code === 'TEAMS_CONVERSATION_GONE') {
    await dropConversation(deps, conversationId, ids, detail);
    return;
  }
  const retryable = failure.code === 'TEAMS_THROTTLED' || failure.code === 'TEAMS_UNAVAILABLE';
  const holder = { owner: deps.owner, now };
  if (!retryable || attempt >= deps.maxAttempts) {
    await finishAlerts(deps.db, holder, ids.failed, {
      status: 'failed',
      error: detail,
      attempted: true,
    });
    await releaseLater(deps.db, holder, conversationId, ids.later, now);
    return;
  }
  const retryAt = now + backoffDelayMs(deps.backoff, attempt, failure.retryAfterMs, deps.random);
  await rescheduleAlerts(deps.db, holder, {
    conversationId,
    ids: ids.failed,
    retryAt,
    attempted: true,
    error: detail,
  });
  await releaseLater(deps.db, holder, conversationId, ids.later, retryAt);
}

async function dropConversation(
  deps: AlertSendFailureDeps,
  conversationId: string,
  ids: FailedCardAlerts,
  detail: string,
): Promise<void> {
  const holder = { owner: deps.owner, now: deps.now() };
  const ending = { status: 'dropped', error: detail, attempted: true } as const;
  await finishAlerts(deps.db, holder, [...ids.failed, ...ids.later], ending);
  await settleLostConversation(deps, conversationId);
}

async function releaseLater(
  db: StoreExecutor,
  holder: LeaseHolder,
  conversationId: string,
  later: number[],
  retryAt: number,
): Promise<void> {
  await rescheduleAlerts(db, holder, {
    conversationId,
    ids: later,
    retryAt,
    attempted: false,
    error: null,
  });
}
