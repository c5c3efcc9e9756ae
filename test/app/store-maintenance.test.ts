import assert from 'node:assert/strict';
import { startMaintenance } from '../../src/app/store-maintenance';
import { createLogger } from '../../src/logging/logger';

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    format: 'json',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

describe('store maintenance loop', () => {
  it('runs every task at start, logs a failing one and still runs the others', async () => {
    const { logger, lines } = capturingLogger();
    const ran: string[] = [];
    const loop = startMaintenance(
      [
        {
          name: 'broken',
          run: async () => {
            ran.push('broken');
            throw new Error('store down');
          },
        },
        { name: 'fine', run: async () => void ran.push('fine') },
      ],
      logger,
    );
    await loop.stop();
    assert.deepEqual(ran.sort(), ['broken', 'fine']);
    const failure = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(
      failure.some((entry) => entry.task === 'broken' && entry.msg === 'maintenance failed'),
    );
  });

  it('stops only after the pass in flight, and never runs two passes at once', async () => {
    const { logger } = capturingLogger();
    let release: () => void = () => {};
    let running = 0;
    let most = 0;
    let finished = false;
    const loop = startMaintenance(
      [
        {
          name: 'slow',
          run: async () => {
            running += 1;
            most = Math.max(most, running);
            await new Promise<void>((resolve) => (release = resolve));
            running -= 1;
            finished = true;
          },
        },
      ],
      logger,
      5,
    );
    await new Promise((resolve) => setTimeout(resolve, 40));
    const stopped = loop.stop();
    assert.equal(finished, false);
    release();
    await stopped;
    assert.equal(finished, true);
    assert.equal(most, 1);
  });
});
