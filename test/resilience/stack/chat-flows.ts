import { acceptSignIn, waitForSubscriptionCovering } from '../../helpers/local-stack-harness';
import type { SimUser } from '../../../src/simulator/directory/sim-user';
import type { ChannelConversation, ChannelUser } from './teams-channel';
import type { ResilienceStack } from './resilience-stack';

const OAUTH_CARD = 'application/vnd.microsoft.card.oauth';

/** The channel user for a person of the simulator's organisation. */
export function channelUserOf(person: SimUser): ChannelUser {
  return { id: `29:${person.id}`, aadObjectId: person.id, name: person.displayName };
}

function signInLink(activity: Record<string, unknown>): string | undefined {
  const attachments = (activity.attachments ?? []) as Array<{
    contentType?: string;
    content?: { buttons?: Array<{ value?: string }> };
  }>;
  return attachments.find((a) => a.contentType === OAUTH_CARD)?.content?.buttons?.[0]?.value;
}

function confirmsWatch(activity: Record<string, unknown>): boolean {
  return JSON.stringify(activity.attachments ?? []).includes('Watching ');
}

/**
 * `/watch` with the people's principal names from `user` in a personal chat, signing in through
 * the simulator's page when the bot asks; resolves when the bot confirms and Graph covers them.
 */
export async function watchFromPersonalChat(
  stack: ResilienceStack,
  conversation: ChannelConversation,
  user: ChannelUser,
  people: readonly SimUser[],
  options = '',
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
    await channel.say(conversation, user, await acceptSignIn(link));
    await channel.waitFor(conversation.id, confirmsWatch, afterCard);
  }
  for (const person of people) await waitForSubscriptionCovering(stack.sim.url, person.id);
}
