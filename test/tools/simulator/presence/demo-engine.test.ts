import assert from 'node:assert/strict';
import { defaultOrganisation } from '../../../../tools/simulator/directory/default-organisation';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import { startTestSimulator } from '../../../helpers/tenant-simulator-harness';

const PLAYGROUND_IDS = defaultOrganisation()
  .filter((user) => user.playgroundUserId !== undefined)
  .map((user) => user.id);

function snapshot(sim: RunningSimulator): Map<string, string> {
  return new Map(
    PLAYGROUND_IDS.map((id) => {
      const state = sim.getPresence(id);
      return [id, `${state.availability}/${state.activity}`];
    }),
  );
}

function changedPeople(before: Map<string, string>, after: Map<string, string>): string[] {
  return PLAYGROUND_IDS.filter((id) => before.get(id) !== after.get(id));
}

describe('simulator demo mode', function () {
  this.timeout(20_000);
  let sim: RunningSimulator;

  before(async () => {
    sim = await startTestSimulator({ demo: true, randomSeed: 7 });
  });
  after(() => sim.stop());

  it('changes a Playground person within four simulated seconds, again and again', () => {
    for (let round = 0; round < 3; round += 1) {
      const before = snapshot(sim);
      sim.clock.advance(4_000);
      assert.ok(changedPeople(before, snapshot(sim)).length >= 1, `round ${round}`);
    }
  });

  it('leaves everyone else alone', () => {
    const others = defaultOrganisation().filter((user) => user.playgroundUserId === undefined);
    for (let round = 0; round < 3; round += 1) sim.clock.advance(4_000);
    for (const user of others) assert.equal(sim.getPresence(user.id).availability, 'Available');
  });
});
