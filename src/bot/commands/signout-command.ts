import type { CommandTurn } from '../bot-deps';
import { accountOf, tokenIfSignedIn } from '../sign-in-gate';
import { signOutReply } from './signout-reply';

/**
 * `/signout`: stops using the user's sign-in (their Graph subscription is deleted with their last
 * token and their people move to colleagues' subscriptions), forgets the token in the token
 * service, and says what happens to each of their watches.
 */
export async function runSignOutCommand(turn: CommandTurn): Promise<void> {
  const { tenantId, aadObjectId } = turn.user;
  const token = await tokenIfSignedIn(turn);
  const outcome = aadObjectId
    ? await turn.deps.releaseSignIn({ tenantId, userId: aadObjectId, token })
    : undefined;
  await turn.deps.tokens.signOut(accountOf(turn));
  const watches = aadObjectId
    ? await turn.deps.watches.list({ tenantId, watcherId: aadObjectId })
    : [];
  await turn.context.sendActivity(await signOutReply(turn, token, outcome, watches));
}
