import type { CommandTurn } from '../bot-deps';
import { WHO_WATCHES_RULE } from './whowatchesme-command';

/** The command reference the bot sends for `/help` and anything it does not understand. */
export const HELP_TEXT = [
  'I tell you when colleagues’ presence changes. Commands:',
  '- **/watch @Alex @Megan**: watch people (also an e-mail address or a name; **/watch** alone opens a people picker)',
  '- options after the people: **when available** (only when they become Available), **once** (notify once, then stop), **with activity** (also changes like "Presenting")',
  '- **/unwatch @Alex** or **/unwatch all**: stop watching',
  '- **/watching**: who is watched here, their presence, with Unwatch buttons',
  `- **/whowatchesme**: which conversations watch you (${WHO_WATCHES_RULE})`,
  '- **/optout**: nobody can watch you; watches of you stop and their conversations are told. **/optin** allows it again',
  '- **/signout**: sign out',
  '- **/help**: this list',
  'In group chats and channels, @mention me first. In a channel, “here” is the whole channel, whichever post you write in.',
].join('\n\n');

/** `/help` (and unknown input): the command reference. */
export async function runHelpCommand(turn: CommandTurn, unknownInput = false): Promise<void> {
  const lead = unknownInput ? 'I didn’t understand that.\n\n' : '';
  await turn.context.sendActivity(`${lead}${HELP_TEXT}`);
}
