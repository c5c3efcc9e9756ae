import type { CommandTurn } from '../bot-deps';
import { accountOf } from '../sign-in-gate';

/** `/signout`: forgets the user's token in the token service. */
export async function runSignOutCommand(turn: CommandTurn): Promise<void> {
  await turn.deps.tokens.signOut(accountOf(turn));
  await turn.context.sendActivity(
    'You are signed out. People you watch are no longer followed with your sign-in; ' +
      'send any command to sign in again.',
  );
}
