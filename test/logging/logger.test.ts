import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { isTerminal } from '../../src/logging/logger';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const ESCAPE = String.fromCharCode(27);

/** Runs the service's own start-up logger in a child whose output goes to a pipe, as to a file. */
async function prettyLineThroughPipe(): Promise<string> {
  const script = [
    "const { createLogger, isTerminal } = require('./src/logging/logger');",
    "const logger = createLogger({ level: 'info', format: 'pretty', colorize: isTerminal(process.stdout) });",
    "logger.info({ port: 3978 }, 'listening');",
    'setTimeout(() => process.exit(0), 500);',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, FORCE_COLOR: '1' },
  });
  return stdout;
}

describe('logger', () => {
  it('writes pretty lines without colour codes when the output is not a terminal', async function () {
    this.timeout(20000);
    const output = await prettyLineThroughPipe();
    assert.match(output, /listening/);
    assert.ok(!output.includes(ESCAPE), JSON.stringify(output));
  });

  it('colours only a terminal', () => {
    assert.equal(isTerminal({ isTTY: true }), true);
    assert.equal(isTerminal({}), false);
  });
});
