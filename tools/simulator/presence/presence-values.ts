/** A person's presence as Graph reports it. */
export interface PresenceState {
  availability: string;
  activity: string;
}

/** The (availability, activity) pairs Teams actually shows, used by the engines. */
export const COMMON_PRESENCES = {
  available: { availability: 'Available', activity: 'Available' },
  busy: { availability: 'Busy', activity: 'Busy' },
  inAMeeting: { availability: 'Busy', activity: 'InAMeeting' },
  inACall: { availability: 'Busy', activity: 'InACall' },
  presenting: { availability: 'DoNotDisturb', activity: 'Presenting' },
  doNotDisturb: { availability: 'DoNotDisturb', activity: 'DoNotDisturb' },
  away: { availability: 'Away', activity: 'Away' },
  beRightBack: { availability: 'BeRightBack', activity: 'BeRightBack' },
  availableIdle: { availability: 'AvailableIdle', activity: 'Available' },
  offline: { availability: 'Offline', activity: 'OffWork' },
} as const satisfies Record<string, PresenceState>;

const AVAILABILITIES = [
  'Available',
  'AvailableIdle',
  'Away',
  'BeRightBack',
  'Busy',
  'BusyIdle',
  'DoNotDisturb',
  'Offline',
  'PresenceUnknown',
];

const ACTIVITIES = [
  'Available',
  'Away',
  'BeRightBack',
  'Busy',
  'DoNotDisturb',
  'InACall',
  'InAConferenceCall',
  'Inactive',
  'InAMeeting',
  'Offline',
  'OffWork',
  'OutOfOffice',
  'PresenceUnknown',
  'Presenting',
  'UrgentInterruptionsOnly',
];

/** Presence of someone Graph knows nothing about. */
export const UNKNOWN_PRESENCE: PresenceState = {
  availability: 'PresenceUnknown',
  activity: 'PresenceUnknown',
};

function canonical(value: string, known: readonly string[]): string {
  return known.find((name) => name.toLowerCase() === value.toLowerCase()) ?? value;
}

/** Normalises the case of known values; unknown (newer) values are kept as given. */
export function normalisePresence(state: PresenceState): PresenceState {
  return {
    availability: canonical(state.availability, AVAILABILITIES),
    activity: canonical(state.activity, ACTIVITIES),
  };
}

/** True when two presences are the same. */
export function samePresence(a: PresenceState, b: PresenceState): boolean {
  return a.availability === b.availability && a.activity === b.activity;
}
