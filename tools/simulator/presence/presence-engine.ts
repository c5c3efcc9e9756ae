/** Something that moves people's presence along as simulated time passes. */
export interface PresenceEngine {
  /** Applies whatever is due at simulated time `now` (epoch ms). */
  step(now: number): void;
}
