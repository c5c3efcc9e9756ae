import { activityBeyond, presenceLook, type PresenceLook } from '../../alerts/presence-words';

/** How a presence looks on a card: words and the Adaptive Card colour of the availability. */
export interface PresenceLabel {
  readonly availabilityText: string;
  readonly activityText: string;
  readonly color: PresenceLook['color'];
}

/** The label for an availability and activity (values compared case-insensitively). */
export function presenceLabel(availability: string, activity: string): PresenceLabel {
  const look = presenceLook(availability);
  return {
    availabilityText: look.words,
    activityText: activityBeyond(availability, activity),
    color: look.color,
  };
}
