import WebSocket from 'ws';

/** The Playground's test configuration: people, conversations and the bot. */
export interface PlaygroundConfig {
  bot: { id: string; name: string };
  currentUser: { id: string; name: string; aadObjectId: string };
  users: { id: string; name: string; aadObjectId: string }[];
  personalChat: { id: string };
  groupChats: { id: string; members: string[] }[];
  teams: { id: string; channels: { id: string; name: string }[] }[];
}

/** One bot message as the Playground's conversation stream shows it. */
export interface StreamedMessage {
  conversationId: string;
  text: string;
  attachments: { contentType: string; content: unknown }[];
}

/** A mention in a message sent through the Playground's REST surface. */
export interface PlaygroundMention {
  id: string;
  name: string;
}

/** Talks to the Playground over REST and listens to its conversation WebSocket. */
export interface PlaygroundClient {
  readonly config: PlaygroundConfig;
  /** Posts a message as the current user; `text` shows each mention as `<at>name</at>`. */
  send(
    conversationId: string,
    text: string,
    mentions?: readonly PlaygroundMention[],
  ): Promise<void>;
  /** Waits for a bot message in `conversationId` that matches; messages seen earlier count too. */
  waitFor(
    conversationId: string,
    matches: (message: StreamedMessage) => boolean,
    timeoutMs?: number,
  ): Promise<StreamedMessage>;
  close(): void;
}

interface StreamEvent {
  action?: string;
  actionConversationId?: string;
  message?: { text?: string; attachments?: StreamedMessage['attachments'] };
}

function streamedMessage(raw: string): StreamedMessage | undefined {
  const event = JSON.parse(raw) as StreamEvent;
  if (!event.actionConversationId || !event.message) return undefined;
  return {
    conversationId: event.actionConversationId,
    text: event.message.text ?? '',
    attachments: event.message.attachments ?? [],
  };
}

/** How a mention of `person` reads in a message's text. */
export function at(person: PlaygroundMention): string {
  return `<at>${person.name}</at>`;
}

/** The text an Adaptive Card element shows, one line per block (a RichTextBlock's runs joined). */
export function cardText(element: unknown): string[] {
  if (Array.isArray(element)) return element.flatMap(cardText);
  if (!element || typeof element !== 'object') return [];
  const node = element as { type?: unknown; text?: unknown; inlines?: unknown };
  if (node.type === 'RichTextBlock' && Array.isArray(node.inlines)) {
    return [node.inlines.map((run: { text?: unknown }) => String(run.text ?? '')).join('')];
  }
  const own = node.type === 'TextBlock' && typeof node.text === 'string' ? [node.text] : [];
  return [...own, ...Object.values(node).flatMap(cardText)];
}

/** Everything a message shows, card text included, as one string for matching. */
export function messageText(message: StreamedMessage): string {
  const cards = message.attachments.flatMap((attachment) => cardText(attachment.content));
  return [message.text, ...cards, JSON.stringify(message.attachments)].join('\n');
}

async function openStream(
  url: string,
  onMessage: (m: StreamedMessage) => void,
): Promise<WebSocket> {
  const socket = new WebSocket(
    `${url.replace(/^http/, 'ws')}/_ws_conversation/v1/conversations/stream`,
  );
  socket.on('message', (data: WebSocket.RawData) => {
    const message = streamedMessage(Buffer.from(data as Buffer).toString('utf8'));
    if (message) onMessage(message);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

/** Connects to a running Playground at `url`. */
export async function connectPlayground(url: string): Promise<PlaygroundClient> {
  const response = await fetch(`${url}/_internal/v1/testConfig`);
  const { config } = (await response.json()) as { config: PlaygroundConfig };
  const seen: StreamedMessage[] = [];
  const waiters = new Set<() => void>();
  const socket = await openStream(url, (message) => {
    seen.push(message);
    for (const wake of waiters) wake();
  });
  return {
    config,
    async send(conversationId, text, mentions = []) {
      const body = {
        from: { id: config.currentUser.id },
        text,
        textFormat: 'plain',
        mentions: mentions.map((m) => ({ mentioned: { id: m.id }, text: `<at>${m.name}</at>` })),
      };
      const posted = await fetch(
        `${url}/_conversation/v1/conversations/${conversationId}/messages`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
      );
      if (!posted.ok) throw new Error(`Playground refused the message: ${await posted.text()}`);
    },
    waitFor(conversationId, matches, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = seen.find((m) => m.conversationId === conversationId && matches(m));
          if (!found) return;
          finish();
          resolve(found);
        };
        const timer = setTimeout(() => {
          finish();
          const recent = seen.slice(-5).map(messageText).join('\n---\n');
          reject(
            new Error(`no matching bot message in ${conversationId}; last messages:\n${recent}`),
          );
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      socket.close();
    },
  };
}
