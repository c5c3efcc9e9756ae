import { createHash, randomUUID } from 'node:crypto';
import type { EpochMs, StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';

const KEY_PREFIX = 'sso-exchange/';

/**
 * Records a Teams SSO token exchange id in the bot's shared turn-state table; true for the first
 * caller only, on any instance, so one exchange runs however many devices sent it. The record ages
 * out with the rest of the stale bot state.
 */
export async function claimTokenExchange(
  db: StoreExecutor,
  exchange: { channelId: string; conversationId: string; exchangeId: string },
  at: EpochMs,
): Promise<boolean> {
  const identity = `${exchange.channelId}/${exchange.conversationId}/${exchange.exchangeId}`;
  const key = KEY_PREFIX + createHash('sha256').update(identity, 'utf8').digest('base64url');
  const result = await storeOperation('claim token exchange', () =>
    db
      .insertInto('bot_state')
      .values({ state_key: key, value: '{}', etag: randomUUID(), updated_at: at })
      .onConflict((conflict) => conflict.column('state_key').doNothing())
      .executeTakeFirst(),
  );
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}
