import type { Activity, Mention } from 'botbuilder';
import { normalizeSpaces } from './command-text';

/** A person @mentioned in a message (not the bot). */
export interface PersonMention {
  /** The channel's id for the person (`29:...` in Teams, `user-id-1` in the Playground). */
  readonly channelUserId: string;
  readonly name: string;
  /** The mention markup in the message text, e.g. `<at>Megan Bowen</at>`. */
  readonly text: string;
}

function mentionEntities(activity: Partial<Activity>): Mention[] {
  return (activity.entities ?? []).filter(
    (entity): entity is Mention & { type: string } =>
      entity.type === 'mention' && typeof (entity as Partial<Mention>).mentioned?.id === 'string',
  );
}

function markupOf(mention: Mention): string {
  return mention.text || `<at>${mention.mentioned.name ?? ''}</at>`;
}

/** True when the message mentions the bot itself. */
export function mentionsBot(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return botId !== undefined && mentionEntities(activity).some((m) => m.mentioned.id === botId);
}

/** The people mentioned in the message, in order, each once, leaving out the bot. */
export function personMentions(activity: Partial<Activity>): PersonMention[] {
  const botId = activity.recipient?.id;
  const seen = new Set<string>();
  const people: PersonMention[] = [];
  for (const mention of mentionEntities(activity)) {
    const id = mention.mentioned.id;
    if (id === botId || seen.has(id)) continue;
    seen.add(id);
    people.push({ channelUserId: id, name: mention.mentioned.name ?? '', text: markupOf(mention) });
  }
  return people;
}

/** `text` with every given mention markup taken out (literally: odd names are not patterns). */
export function withoutMentionMarkup(text: string, markups: readonly string[]): string {
  let result = text;
  for (const markup of markups) {
    if (markup.length > 0) result = result.split(markup).join(' ');
  }
  return normalizeSpaces(result);
}

/** The message text without the bot's own mentions, spaces normalised. */
export function textWithoutBotMentions(activity: Partial<Activity>): string {
  const botId = activity.recipient?.id;
  const botMarkups = mentionEntities(activity)
    .filter((m) => m.mentioned.id === botId)
    .map(markupOf);
  return withoutMentionMarkup(activity.text ?? '', botMarkups);
}
