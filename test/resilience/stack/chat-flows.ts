import { acceptSignIn, waitForSubscriptionCovering } from '../../helpers/local-stack-harness';
import { signInLinkIn } from '../../helpers/sign-in-link';
import type { SimUser } from '../../../tools/simulator/directory/sim-user';
import type { ChannelConversation, ChannelUser } from './teams-channel';
import type { ResilienceStack } from './resilience-stack';

/** The channel user for a person of the simulator's organisation. */
export function channelUserOf(person: SimUser): ChannelUser {
  return { id: `29:${person.id}`, aadObjectId: person.id, name: person.displayName };
}

function signInLink(activity: Record<string, unknown>): string | undefined {
  return signInLinkIn(activity.attachments as Parameters<typeof signInLinkIn>[0]);
}

function confirmsWatch(activity: Record<string, unknown>): boolean {
  return JSON.stringify(activity.attachments ?? []).includes('Watching ');
}

/**
 * `/watch` with the people's principal names from `user` in a personal chat, signing in through
 * the simulator's page when the bot asks (or through `signIn`, e.g. the Entra code flow in msal
 * mode); resolves when the bot confirms and Graph covers them.
 */
export async function watchFromPersonalChat(
  stack: ResilienceStack,
  conversation: ChannelConversation,
  user: ChannelUser,
  people: readonly SimUser[],
  options = '',
  signIn?: (link: string) => Promise<void>,
): Promise<void> {
  const { channel, connector } = stack;
  const since = connector.received.length;
  const names = people.map((p) => p.userPrincipalName).join(' ');
  await channel.say(conversation, user, `/watch ${names} ${options}`.trim());
  const reply = await channel.waitFor(
    conversation.id,
    (a) => signInLink(a) !== undefined || confirmsWatch(a),
    since,
  );
  const link = signInLink(reply.activity);
  if (link) {
    const afterCard = connector.received.length;
    if (signIn) await signIn(link);
    else await channel.say(conversation, user, await acceptSignIn(link));
    await channel.waitFor(conversation.id, confirmsWatch, afterCard);
  }
  for (const person of people) await waitForSubscriptionCovering(stack.sim.url, person.id);
}
