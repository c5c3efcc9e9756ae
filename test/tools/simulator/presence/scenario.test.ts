import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import { createTempDirectory, type TempDirectory } from '../../../helpers/temp-files';
import { ADELE_ID, MEGAN_ID, startTestSimulator } from '../../../helpers/tenant-simulator-harness';

const YAML_SCENARIO = `# Megan takes a call, then steps away; Adele starts presenting.
steps:
  - at: 60
    user: user-id-1
    availability: Busy
    activity: InACall
  - at: 120
    user: MeganB@example.com
    availability: Away
    activity: Away
  - at: 120
    user: ${ADELE_ID}
    availability: DoNotDisturb
    activity: Presenting
`;

const activity = (sim: RunningSimulator, id: string): string => sim.getPresence(id).activity;

describe('simulator scenario files', function () {
  this.timeout(20_000);
  let files: TempDirectory;
  let sim: RunningSimulator | undefined;

  before(async () => {
    files = await createTempDirectory();
  });
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  after(() => files.remove());

  it('plays a YAML scenario as simulated time passes', async () => {
    sim = await startTestSimulator({ scenarioFile: await files.write('day.yaml', YAML_SCENARIO) });
    sim.clock.advance(30_000);
    assert.equal(activity(sim, MEGAN_ID), 'Available');
    sim.clock.advance(30_000);
    assert.equal(activity(sim, MEGAN_ID), 'InACall');
    sim.clock.advance(60_000);
    assert.equal(activity(sim, MEGAN_ID), 'Away');
    assert.equal(activity(sim, ADELE_ID), 'Presenting');
  });

  it('plays a looping JSON scenario again from the start', async () => {
    const scenario = {
      loop: true,
      steps: [
        { at: 10, user: 'user-id-1', availability: 'Busy', activity: 'InAMeeting' },
        { at: 20, user: 'user-id-1', availability: 'Available', activity: 'Available' },
      ],
    };
    sim = await startTestSimulator({
      scenarioFile: await files.write('loop.json', JSON.stringify(scenario)),
    });
    const seen: string[] = [];
    for (let second = 0; second < 40; second += 5) {
      sim.clock.advance(5_000);
      seen.push(activity(sim, MEGAN_ID));
    }
    const meetings = seen.filter((value, i) => value === 'InAMeeting' && seen[i - 1] !== value);
    assert.equal(meetings.length, 2, seen.join(','));
  });

  it('refuses a scenario naming an unknown person or missing a field, naming the file', async () => {
    const ghost = await files.write(
      'ghost.yaml',
      'steps:\n  - {at: 1, user: ghost, availability: Busy, activity: Busy}\n',
    );
    await assert.rejects(startTestSimulator({ scenarioFile: ghost }), /unknown person: ghost/);
    const incomplete = await files.write(
      'incomplete.yaml',
      'steps:\n  - {at: 1, user: user-id-1}\n',
    );
    await assert.rejects(
      startTestSimulator({ scenarioFile: incomplete }),
      /^Error: scenario file .*incomplete\.yaml: invalid scenario: steps\.0\.availability/,
    );
  });
});
