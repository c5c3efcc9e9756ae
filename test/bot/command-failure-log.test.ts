import assert from 'node:assert/strict';
import { capturedLogs, WARN_LEVEL as WARN, type LogLine } from '../helpers/captured-logs';
import { forEachEngine } from '../helpers/for-each-engine';
import { startBotHarness, type BotHarness } from './bot-harness';

forEachEngine('how a failed command is logged', (fixture) => {
  let bot: BotHarness;
  let lines: LogLine[];

  beforeEach(async function () {
    this.timeout(20000);
    const captured = capturedLogs();
    lines = captured.lines;
    bot = await startBotHarness(fixture.store, undefined, captured.logger);
    await bot.signIn();
  });

  afterEach(async () => {
    await bot.close();
  });

  it('logs Graph throttling the user is told about as a warning with its code, not an error', async () => {
    const fault = await fetch(`${bot.sim.url}/_sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '*', throttleShare: 1, retryAfterSeconds: 30 }),
    });
    assert.equal(fault.status, 200);
    const replies = await bot.send({ text: '/watch Megan Bowen' });
    assert.equal(replies[0]?.text, 'Microsoft Graph is busy; try again in a minute.');
    const throttled = lines.filter((line) => line.err?.code === 'GRAPH_THROTTLED');
    assert.deepEqual(
      throttled.map((line) => line.level),
      [WARN],
    );
    assert.deepEqual(
      lines.filter((line) => line.level > WARN),
      [],
    );
  });
});
