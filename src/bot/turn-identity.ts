import type { Activity } from 'botbuilder';

/** Who is speaking in a turn, as the token service and the store know them. */
export interface ChannelUser {
  readonly tenantId: string;
  /** Entra object id; `undefined` when the channel did not say. */
  readonly aadObjectId: string | undefined;
  /** The channel's id for the user (`29:...` in Teams), which the token service keys on. */
  readonly channelUserId: string;
  readonly channelId: string;
  readonly name: string;
}

/** The tenant of a Teams activity: `conversation.tenantId`, else `channelData.tenant.id`. */
export function tenantOf(activity: Partial<Activity>): string {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  return (
    activity.conversation?.tenantId ?? (typeof fromChannelData === 'string' ? fromChannelData : '')
  );
}

/** The user who sent the activity. */
export function channelUserOf(activity: Partial<Activity>): ChannelUser {
  return {
    tenantId: tenantOf(activity),
    aadObjectId: activity.from?.aadObjectId || undefined,
    channelUserId: activity.from?.id ?? '',
    channelId: activity.channelId ?? '',
    name: activity.from?.name ?? '',
  };
}

/** True in a one-to-one chat with the bot; group chats and channels are shared. */
export function isPersonalConversation(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  if (type) return type === 'personal';
  return activity.conversation?.isGroup !== true;
}
