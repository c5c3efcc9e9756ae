import type { CommandTurn } from './bot-deps';
import { accountOf } from './sign-in-gate';

/** The turn-state keys teams-ai keeps for this user and this conversation. */
function botStateKeysOf(turn: CommandTurn): string[] {
  const { channelId, recipient, conversation, from } = turn.context.activity;
  const prefix = `${channelId}/${recipient?.id ?? ''}`;
  return [`${prefix}/users/${from?.id ?? ''}`, `${prefix}/conversations/${conversation.id}`];
}

/**
 * The user removed the app from their personal chat: purges their watches (in every conversation),
 * channel account, sign-in alert and turn state (the keeper is told; the end-of-turn save deletes
 * the state too instead of writing it back), forgets the cached account and signs them out at the
 * token service. A failed sign-out is logged; the purge stands.
 */
export async function purgeUninstallingUser(turn: CommandTurn): Promise<void> {
  const { tenantId, aadObjectId } = turn.user;
  const removed = await turn.deps.watches.purgeUser({
    tenantId,
    aadObjectId,
    botStateKeys: botStateKeysOf(turn),
  });
  turn.state.deleteConversationState();
  turn.state.deleteUserState();
  if (aadObjectId !== undefined) turn.deps.accounts.forget(tenantId, aadObjectId);
  try {
    await turn.deps.tokens.signOut(accountOf(turn));
  } catch (error) {
    turn.logger.warn(
      { err: { name: error instanceof Error ? error.name : typeof error } },
      'sign-out at the token service failed after uninstall',
    );
  }
  turn.logger.info(
    { watches: removed.length },
    'app uninstalled from a personal chat; purged the user',
  );
}
