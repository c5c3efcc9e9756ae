/** How a presence looks on a card: words and an Adaptive Card text colour. */
export interface PresenceLabel {
  readonly availabilityText: string;
  readonly activityText: string;
  readonly color: 'Good' | 'Attention' | 'Warning' | 'Default';
}

const COLORS: Record<string, PresenceLabel['color']> = {
  available: 'Good',
  availableidle: 'Good',
  busy: 'Attention',
  busyidle: 'Attention',
  donotdisturb: 'Attention',
  away: 'Warning',
  berightback: 'Warning',
};

const WORDS: Record<string, string> = {
  availableidle: 'Available (idle)',
  busyidle: 'Busy (idle)',
  donotdisturb: 'Do not disturb',
  berightback: 'Be right back',
  presenceunknown: 'Unknown',
  inacall: 'In a call',
  inaconferencecall: 'In a conference call',
  inameeting: 'In a meeting',
  offwork: 'Off work',
  outofoffice: 'Out of office',
  urgentinterruptionsonly: 'Urgent interruptions only',
};

/** A Graph presence value in words: known ones by name, unknown ones split at capitals. */
export function presenceWords(value: string): string {
  const known = WORDS[value.toLowerCase()];
  if (known) return known;
  const spaced = value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.length > 0 ? spaced[0]!.toUpperCase() + spaced.slice(1) : 'Unknown';
}

/** The label for an availability and activity (values compared case-insensitively). */
export function presenceLabel(availability: string, activity: string): PresenceLabel {
  const availabilityText = presenceWords(availability);
  const activityText = presenceWords(activity);
  return {
    availabilityText,
    activityText: activityText.toLowerCase() === availabilityText.toLowerCase() ? '' : activityText,
    color: COLORS[availability.toLowerCase()] ?? 'Default',
  };
}
