/** The longest `/watch` or `/unwatch` argument taken; longer ones are refused before Graph sees them. */
export const MAX_ARGUMENT_CHARS = 1_000;

/** The longest single name, address or picked id looked up in the directory. */
export const MAX_QUERY_CHARS = 120;

/** The most people one picker submit may name. */
export const MAX_PICKED_PEOPLE = 50;

/** How much of something a user typed the bot repeats back. */
export const MAX_ECHO_CHARS = 60;

const MARKDOWN_SPECIALS = /[\\`*_{}[\]()<>#+\-.!|~]/g;

/** `text` with every markdown and HTML special character escaped, so it shows as typed. */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIALS, (special) => `\\${special}`);
}

/** `text` cut to `max` characters (on a code point boundary) with an ellipsis when it was longer. */
export function capped(text: string, max = MAX_ECHO_CHARS): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max).join('')}…`;
}

/** Something a user typed, as the bot may repeat it in a message: capped, escaped and quoted. */
export function echoed(text: string): string {
  return `"${escapeMarkdown(capped(text))}"`;
}

/** Something a user typed, for card text shown as plain text (TextRun): capped and quoted. */
export function echoedPlain(text: string): string {
  return `"${capped(text)}"`;
}
