import assert from 'node:assert/strict';
import { createPresenceStore } from '../../../../tools/simulator/presence/presence-store';
import { COMMON_PRESENCES } from '../../../../tools/simulator/presence/presence-values';

const MEGAN = 'megan';
const PRESENCES = [COMMON_PRESENCES.busy, COMMON_PRESENCES.away, COMMON_PRESENCES.available];

describe('simulated presence sequence numbers', () => {
  it('increase on every change, even when the clock stands still or goes back', () => {
    let now = 1_750_000_000_000;
    const presence = createPresenceStore([MEGAN], COMMON_PRESENCES.available, () => now);
    const stamps = [presence.get(MEGAN).sequenceNumber];
    for (const [step, clockMove] of [0, 0, -5_000, 1, 0, 60_000].entries()) {
      now += clockMove;
      assert.ok(presence.set(MEGAN, PRESENCES[step % PRESENCES.length]!, 'manual'));
      stamps.push(presence.get(MEGAN).sequenceNumber);
    }
    assert.equal(new Set(stamps).size, stamps.length);
    assert.deepEqual([...stamps].sort(), stamps);
    for (const stamp of stamps) assert.equal(stamp.length, stamps[0]?.length);
  });

  it('keeps the stamp when nothing changed, and tells listeners the new one', () => {
    let now = 1_000;
    const presence = createPresenceStore([MEGAN], COMMON_PRESENCES.available, () => now);
    const heard: string[] = [];
    presence.onChange((change) => heard.push(change.current.sequenceNumber));
    const first = presence.get(MEGAN).sequenceNumber;
    now += 10;
    assert.equal(presence.set(MEGAN, COMMON_PRESENCES.available, 'manual'), false);
    assert.equal(presence.get(MEGAN).sequenceNumber, first);
    assert.ok(presence.set(MEGAN, COMMON_PRESENCES.busy, 'manual'));
    assert.deepEqual(heard, [presence.get(MEGAN).sequenceNumber]);
    assert.ok(first < (heard[0] ?? ''));
  });

  it('gives people nobody knows a stamp below every real one', () => {
    const presence = createPresenceStore([MEGAN], COMMON_PRESENCES.available, () => 1_000);
    const unknown = presence.get('stranger');
    assert.equal(unknown.availability, 'PresenceUnknown');
    assert.ok(unknown.sequenceNumber < presence.get(MEGAN).sequenceNumber);
  });
});
