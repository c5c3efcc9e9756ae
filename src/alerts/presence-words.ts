/** How a presence value looks on a card: words, a coloured dot and an Adaptive Card text colour. */
export interface PresenceLook {
  readonly words: string;
  readonly dot: string;
  readonly color: 'Good' | 'Attention' | 'Warning' | 'Default';
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
  color: PresenceLook['color'];
}> = [
  { values: ['available', 'availableidle'], dot: '🟢', color: 'Good' },
  {
    values: [
      'busy',
      'busyidle',
      'donotdisturb',
      'inacall',
      'inaconferencecall',
      'inameeting',
      'presenting',
      'urgentinterruptionsonly',
    ],
    dot: '🔴',
    color: 'Attention',
  },
  { values: ['away', 'berightback', 'inactive'], dot: '🟡', color: 'Warning' },
  { values: ['outofoffice'], dot: '🟣', color: 'Default' },
];

/** A presence value in words ("InAMeeting" → "In a meeting"); unknown values are split at capitals. */
export function presenceWords(value: string): string {
  const known = WORDS[value.toLowerCase()];
  if (known) return known;
  const spaced = value.replace(/([a-z])([A-Z])/g, '$1 $2').trim();
  if (spaced.length === 0) return 'Status unknown';
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}

/** The look of a presence value (an availability or an activity); unknown values are a grey dot. */
export function presenceLook(value: string): PresenceLook {
  const key = value.toLowerCase();
  const look = LOOKS.find((entry) => entry.values.includes(key));
  return {
    words: presenceWords(value),
    dot: look?.dot ?? '⚪',
    color: look?.color ?? 'Default',
  };
}
