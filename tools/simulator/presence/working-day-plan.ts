import { pick, seededRandom, seedFromText, type RandomSource } from '../seeded-random';
import { COMMON_PRESENCES, type PresenceState } from './presence-values';

/** A stretch of one working day with a presence other than Available (minutes after midnight). */
interface Segment {
  from: number;
  to: number;
  state: PresenceState;
}

/** One person's working day: hours and the segments within them. */
export interface WorkingDayPlan {
  start: number;
  end: number;
  segments: Segment[];
}

const MEETING_STATES = [
  COMMON_PRESENCES.inAMeeting,
  COMMON_PRESENCES.inAMeeting,
  COMMON_PRESENCES.inACall,
  COMMON_PRESENCES.presenting,
];

function minutesBetween(random: RandomSource, from: number, to: number): number {
  return Math.round(from + random() * (to - from));
}

function meetings(random: RandomSource, start: number, end: number): Segment[] {
  const count = 1 + Math.floor(random() * 4);
  return Array.from({ length: count }, () => {
    const from = Math.floor(minutesBetween(random, start, end - 60) / 30) * 30;
    return { from, to: from + (random() < 0.6 ? 30 : 60), state: pick(random, MEETING_STATES) };
  });
}

function breaks(random: RandomSource, start: number, end: number): Segment[] {
  const lunch = minutesBetween(random, 12 * 60, 13 * 60);
  const result: Segment[] = [
    { from: lunch, to: lunch + minutesBetween(random, 30, 45), state: COMMON_PRESENCES.away },
  ];
  for (let i = 0; i < 2; i += 1) {
    const from = minutesBetween(random, start + 60, end - 30);
    result.push({ from, to: from + 10, state: COMMON_PRESENCES.beRightBack });
  }
  if (random() < 0.4) {
    const from = minutesBetween(random, start, end - 90);
    result.push({ from, to: from + 60, state: COMMON_PRESENCES.doNotDisturb });
  }
  return result;
}

/** The reproducible plan of `userId` on `day` (YYYY-MM-DD) for random seed `seed`; weekends are off. */
export function workingDayPlan(seed: number, userId: string, day: Date): WorkingDayPlan {
  const weekday = day.getDay();
  if (weekday === 0 || weekday === 6) return { start: 0, end: 0, segments: [] };
  const random = seededRandom(seedFromText(`${seed}|${userId}|${day.toDateString()}`));
  const start = minutesBetween(random, 8 * 60, 9 * 60 + 30);
  const end = minutesBetween(random, 16 * 60 + 30, 18 * 60);
  const segments = [...breaks(random, start, end), ...meetings(random, start, end)];
  return { start, end, segments };
}

/** The presence a plan gives at `minute` after midnight (meetings win over breaks). */
export function presenceAt(plan: WorkingDayPlan, minute: number): PresenceState {
  if (minute < plan.start || minute >= plan.end) return COMMON_PRESENCES.offline;
  const current = plan.segments.filter((s) => s.from <= minute && minute < s.to);
  return current[current.length - 1]?.state ?? COMMON_PRESENCES.available;
}
