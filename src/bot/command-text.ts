/** The commands the bot understands; each pattern is anchored so `/watchlist` is not `/watch`. */
export const COMMAND_PATTERNS = {
  watch: /^\/watch(?:\s|$)/i,
  unwatch: /^\/unwatch(?:\s|$)/i,
  watching: /^\/watching\s*$/i,
  help: /^\/help\s*$/i,
  signout: /^\/sign-?out\s*$/i,
  whowatchesme: /^\/whowatchesme\s*$/i,
  optout: /^\/optout\s*$/i,
  optin: /^\/optin\s*$/i,
} as const;

/** A magic code pasted from the sign-in page: six digits and nothing else. */
export const MAGIC_CODE_PATTERN = /^\d{6}$/;

/** Options a watch can carry. */
export interface WatchOptions {
  /** Notify only on becoming Available. */
  readonly onlyWhenAvailable: boolean;
  /** Notify once, then stop. */
  readonly once: boolean;
  /** Also notify on activity-only changes. */
  readonly includeActivity: boolean;
}

/** The options found in a command's arguments and the text left once they are taken out. */
export interface ParsedWatchArguments {
  readonly options: WatchOptions;
  readonly rest: string;
}

const OPTION_PHRASES: readonly [keyof WatchOptions, RegExp][] = [
  ['onlyWhenAvailable', /(^|\s)when\s+available(?=\s|,|$)/gi],
  ['includeActivity', /(^|\s)with\s+activity(?=\s|,|$)/gi],
  ['once', /(^|\s)once(?=\s|,|$)/gi],
];

/** Non-breaking spaces (Teams sends `&nbsp;` after a mention) become spaces; runs collapse. */
export function normalizeSpaces(text: string): string {
  return text
    .replace(/&nbsp;/gi, ' ')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

/** The text after the command word (`/watch Alex` → `Alex`). */
export function commandArguments(text: string): string {
  return normalizeSpaces(text).replace(/^\/\S+\s*/, '');
}

/** Takes `when available`, `once` and `with activity` (any case, any order) out of `text`. */
export function parseWatchArguments(text: string): ParsedWatchArguments {
  let rest = normalizeSpaces(text);
  const found: Record<keyof WatchOptions, boolean> = {
    onlyWhenAvailable: false,
    once: false,
    includeActivity: false,
  };
  for (const [option, pattern] of OPTION_PHRASES) {
    rest = rest.replace(pattern, (_match, lead: string) => {
      found[option] = true;
      return lead;
    });
  }
  return { options: found, rest: normalizeSpaces(rest.replace(/(^|\s)[,;]+(?=\s|$)/g, ' ')) };
}

/** Words of one part grouped into names: a typed `@` (not a real mention) starts a new name. */
function namesIn(words: readonly string[]): string[] {
  const names: string[][] = [];
  for (const word of words) {
    const typedAt = word.startsWith('@');
    const bare = typedAt ? word.slice(1) : word;
    if (typedAt || names.length === 0) names.push([]);
    if (bare) names[names.length - 1]?.push(bare);
  }
  return names.filter((name) => name.length > 0).map((name) => name.join(' '));
}

/**
 * The people named in free text: e-mail addresses, and names separated by commas or semicolons
 * (or typed with `@` where the client made no mention, as the Playground's personal chat does).
 */
export function personQueries(rest: string): { emails: string[]; names: string[] } {
  const emails: string[] = [];
  const names: string[] = [];
  for (const part of rest.split(/[,;]/)) {
    const words = normalizeSpaces(part).split(' ').filter(Boolean);
    const nameWords = words.filter((word) => {
      if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(word)) {
        emails.push(word);
        return false;
      }
      return true;
    });
    names.push(...namesIn(nameWords));
  }
  return { emails, names };
}

/** A short description of the options, e.g. "only when available, once". */
export function describeOptions(options: WatchOptions): string {
  const parts = [
    options.onlyWhenAvailable ? 'only when available' : '',
    options.once ? 'once' : '',
    options.includeActivity ? 'with activity changes' : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'every availability change';
}
