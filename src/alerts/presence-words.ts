/** What a card calls someone whose name the bot does not know (never their raw id). */
export const UNNAMED_PERSON = 'This person';

/**
 * How a presence value looks on a card: words, a status dot (a plain geometric glyph, so it needs no
 * emoji font; its shape differs by state, so it reads without colour in high contrast) and the
 * Adaptive Card colours of the dot and the words. Words are never yellow: Away reads in the default
 * colour, as Warning text is hard to read on Teams' light theme.
 */
export interface PresenceLook {
  readonly words: string;
  readonly dot: string;
  readonly dotColor: 'Good' | 'Attention' | 'Warning' | 'Accent' | 'Default';
  readonly color: 'Good' | 'Attention' | 'Default';
}

const WORDS: Readonly<Record<string, string>> = {
  available: 'Available',
  availableidle: 'Available (idle)',
  away: 'Away',
  berightback: 'Be right back',
  busy: 'Busy',
  busyidle: 'Busy (idle)',
  donotdisturb: 'Do not disturb',
  offline: 'Offline',
  presenceunknown: 'Status unknown',
  inacall: 'In a call',
  inaconferencecall: 'In a conference call',
  inactive: 'Inactive',
  inameeting: 'In a meeting',
  offwork: 'Off work',
  outofoffice: 'Out of office',
  presenting: 'Presenting',
  urgentinterruptionsonly: 'Urgent interruptions only',
};

const LOOKS: ReadonlyArray<{
  values: readonly string[];
  dot: string;
  dotColor: PresenceLook['dotColor'];
  color: PresenceLook['color'];
}> = [
  { values: ['available', 'availableidle'], dot: '●', dotColor: 'Good', color: 'Good' },
  {
    values: ['busy', 'busyidle', 'inacall', 'inaconferencecall', 'inameeting'],
    dot: '●',
    dotColor: 'Attention',
    color: 'Attention',
  },
  {
    values: ['donotdisturb', 'presenting', 'urgentinterruptionsonly'],
    dot: '⊖',
    dotColor: 'Attention',
    color: 'Attention',
  },
  { values: ['away', 'berightback', 'inactive'], dot: '◐', dotColor: 'Warning', color: 'Default' },
  { values: ['outofoffice'], dot: '◆', dotColor: 'Accent', color: 'Default' },
];

/** A presence value in words ("InAMeeting" → "In a meeting"); unknown values are split at capitals. */
export function presenceWords(value: string): string {
  const known = WORDS[value.toLowerCase()];
  if (known) return known;
  const spaced = value.replace(/([a-z])([A-Z])/g, '$1 $2').trim();
  if (spaced.length === 0) return 'Status unknown';
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}

/** The look of a presence value (an availability or an activity); unknown values are a hollow dot. */
export function presenceLook(value: string): PresenceLook {
  const key = value.toLowerCase();
  const look = LOOKS.find((entry) => entry.values.includes(key));
  return {
    words: presenceWords(value),
    dot: look?.dot ?? '○',
    dotColor: look?.dotColor ?? 'Default',
    color: look?.color ?? 'Default',
  };
}

/**
 * The activity in words when it adds something to the availability, else ''. It adds nothing when
 * it says the same ("Away"/"Away") or what the availability already starts with ("Available
 * (idle)"/"Available").
 */
export function activityBeyond(availability: string, activity: string): string {
  const availabilityWords = presenceWords(availability).toLowerCase();
  const activityWords = presenceWords(activity);
  const base = availabilityWords.replace(/\s*\(.*\)$/, '');
  const same = [availabilityWords, base].includes(activityWords.toLowerCase());
  return same ? '' : activityWords;
}

/**
 * Availability and activity in words, as alerts show them: "Busy (In a call)", "Available" when
 * the activity adds nothing, "Available (idle), inactive" rather than doubled parentheses.
 */
export function presenceStateWords(value: { availability: string; activity: string }): string {
  const availability = presenceWords(value.availability);
  const activity = activityBeyond(value.availability, value.activity);
  if (!activity) return availability;
  return availability.includes('(')
    ? `${availability}, ${activity.toLowerCase()}`
    : `${availability} (${activity})`;
}
