import assert from 'node:assert/strict';
import { createDirectory } from '../../../../tools/simulator/directory/directory';
import { defaultOrganisation } from '../../../../tools/simulator/directory/default-organisation';
import {
  createPresenceStore,
  type PresenceChange,
} from '../../../../tools/simulator/presence/presence-store';
import { COMMON_PRESENCES } from '../../../../tools/simulator/presence/presence-values';
import { createScenarioEngine, parseScenario } from '../../../../tools/simulator/presence/scenario';
import { createScheduleEngine } from '../../../../tools/simulator/presence/schedule-engine';

function world() {
  const directory = createDirectory(defaultOrganisation());
  const presence = createPresenceStore(
    directory.listUsers().map((u) => u.id),
    COMMON_PRESENCES.available,
    () => 1_000_000,
  );
  const changes: PresenceChange[] = [];
  presence.onChange((change) => changes.push(change));
  return { directory, presence, changes };
}

function runDay(seed: number): string[] {
  const { directory, presence, changes } = world();
  const engine = createScheduleEngine({ directory, presence, seed });
  const monday = new Date(2025, 0, 6, 0, 0).getTime();
  for (let minute = 0; minute < 24 * 60; minute += 5) engine.step(monday + minute * 60_000);
  return changes.map((c) => `${c.userId}:${c.current.availability}/${c.current.activity}`);
}

describe('simulated presence engines', () => {
  it('runs a reproducible working day with meetings, breaks and evenings off', () => {
    const first = runDay(7);
    assert.deepEqual(runDay(7), first);
    assert.notDeepEqual(runDay(8), first);
    const states = new Set(first.map((entry) => entry.split(':')[1]));
    for (const expected of [
      'Offline/OffWork',
      'Available/Available',
      'Away/Away',
      'Busy/InAMeeting',
    ]) {
      assert.ok(states.has(expected), expected);
    }
  });

  it('keeps weekends offline', () => {
    const { directory, presence } = world();
    const engine = createScheduleEngine({ directory, presence, seed: 1 });
    engine.step(new Date(2025, 0, 4, 11, 0).getTime());
    assert.equal(presence.get(directory.listUsers()[0]?.id ?? '').availability, 'Offline');
  });

  it('plays a scenario at its times, naming people by Playground id', () => {
    const { directory, presence, changes } = world();
    const scenario = parseScenario({
      steps: [{ at: 5, user: 'user-id-1', availability: 'Busy', activity: 'InACall' }],
    });
    const engine = createScenarioEngine({ scenario, directory, presence });
    engine.step(1_000_000);
    engine.step(1_004_000);
    assert.equal(changes.length, 0);
    engine.step(1_005_000);
    assert.equal(presence.get('00000000-0000-0000-0000-0000000000021').activity, 'InACall');
    assert.throws(() =>
      createScenarioEngine({
        scenario: parseScenario({
          steps: [{ at: 1, user: 'ghost', availability: 'Busy', activity: 'Busy' }],
        }),
        directory,
        presence,
      }),
    );
  });
});
