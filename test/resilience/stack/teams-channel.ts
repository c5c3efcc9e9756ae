import { randomUUID } from 'node:crypto';
import type { FakeBotConnector, ReceivedActivity } from '../../helpers/fake-bot-connector';

/** A Teams user as the channel presents them to the bot. */
export interface ChannelUser {
  /** The channel's id (`29:…`), the token service's key. */
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
}

/** A conversation the bot is in. */
export interface ChannelConversation {
  readonly id: string;
  readonly type: 'personal' | 'groupChat' | 'channel';
}

/**
 * Plays Teams towards the bot: posts activities to `/api/messages` (unauthenticated, as the
 * Agents Playground does when the bot has no app id) with the fake connector as `serviceUrl`,
 * and reads the bot's answers there.
 */
export class FakeTeamsChannel {
  constructor(
    private readonly connector: FakeBotConnector,
    private readonly botUrl: () => string,
    private readonly tenantId: string,
    readonly botId: string,
  ) {}

  /** Sends a message from `user` in `conversation`; resolves once the bot accepted the turn. */
  async say(conversation: ChannelConversation, user: ChannelUser, text: string): Promise<void> {
    const response = await fetch(`${this.botUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.message(conversation, user, text)),
    });
    if (response.status >= 300) {
      throw new Error(`the bot answered ${response.status}: ${await response.text()}`);
    }
  }

  /** Waits for a bot activity in the conversation, received after `since` (an index into `received`). */
  async waitFor(
    conversationId: string,
    matches: (activity: Record<string, unknown>) => boolean,
    since = 0,
    timeoutMs = 30_000,
  ): Promise<ReceivedActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.connector.received
        .slice(since)
        .find((r) => r.conversationId === conversationId && r.status < 300 && matches(r.activity));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching bot message in ${conversationId} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private message(
    conversation: ChannelConversation,
    user: ChannelUser,
    text: string,
  ): Record<string, unknown> {
    return {
      type: 'message',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      serviceUrl: this.connector.serviceUrl,
      channelId: 'msteams',
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: this.botId, name: 'Presence Watch' },
      conversation: {
        id: conversation.id,
        conversationType: conversation.type,
        tenantId: this.tenantId,
        isGroup: conversation.type !== 'personal',
      },
      channelData: { tenant: { id: this.tenantId } },
      locale: 'en-US',
      text,
    };
  }
}
