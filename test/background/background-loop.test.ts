import assert from 'node:assert/strict';
import sinon from 'sinon';
import {
  createBackgroundLoop,
  NOTHING_DUE,
  type BackgroundLoop,
} from '../../src/background/background-loop';
import type { Timers } from '../../src/background/timers';
import { silentLogger } from '../../src/logging/logger';

const POLL_MS = 1_000;

/** A pass the test controls: each call waits until the test finishes it with a sleep. */
class ScriptedPasses {
  started = 0;
  private finishers: ((sleepMs: number) => void)[] = [];
  readonly pass = (): Promise<number> => {
    this.started += 1;
    return new Promise((resolve) => this.finishers.push(resolve));
  };
  get inFlight(): number {
    return this.finishers.length;
  }
  finish(sleepMs: number): void {
    const finisher = this.finishers.shift();
    assert.ok(finisher, 'no pass in flight');
    finisher(sleepMs);
  }
}

async function settled(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

describe('background loop', () => {
  let clock: sinon.SinonFakeTimers;
  let timers: Timers;
  let passes: ScriptedPasses;
  let loop: BackgroundLoop;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    timers = {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
    passes = new ScriptedPasses();
    loop = createBackgroundLoop({
      pass: passes.pass,
      pollIntervalMs: POLL_MS,
      timers,
      logger: silentLogger(),
      failureMessage: 'pass failed',
    });
  });

  afterEach(() => clock.restore());

  it('runs a pass at start and then every poll interval while nothing is due', async () => {
    loop.start();
    assert.equal(passes.started, 1);
    passes.finish(NOTHING_DUE);
    await settled();
    await clock.tickAsync(POLL_MS - 1);
    assert.equal(passes.started, 1);
    await clock.tickAsync(1);
    assert.equal(passes.started, 2);
  });

  it('runs the next pass at once when a pass says more work is waiting', async () => {
    loop.start();
    passes.finish(0);
    await settled();
    assert.equal(passes.started, 2);
  });

  it('sleeps what the pass asks for, never longer than the poll interval', async () => {
    loop.start();
    passes.finish(300);
    await settled();
    await clock.tickAsync(300);
    assert.equal(passes.started, 2);
    passes.finish(60_000);
    await settled();
    await clock.tickAsync(POLL_MS);
    assert.equal(passes.started, 3);
  });

  it('runs the next pass at once when woken while sleeping', async () => {
    loop.start();
    passes.finish(NOTHING_DUE);
    await settled();
    loop.wake();
    assert.equal(passes.started, 2, 'no time passed');
    passes.finish(NOTHING_DUE);
    await settled();
    await clock.tickAsync(POLL_MS - 1);
    assert.equal(passes.started, 2, 'the wake did not leave the old timer behind');
  });

  it('coalesces wakes during a pass into one more pass right after it', async () => {
    loop.start();
    loop.wake();
    loop.wake();
    loop.wake();
    assert.equal(passes.inFlight, 1, 'never two passes at once');
    passes.finish(NOTHING_DUE);
    await settled();
    assert.equal(passes.started, 2);
    passes.finish(NOTHING_DUE);
    await settled();
    assert.equal(passes.started, 2, 'one more pass, not three');
  });

  it('stops only after the pass in flight, and runs no pass after', async () => {
    loop.start();
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await settled();
    assert.equal(stopped, false);
    passes.finish(0);
    await stopping;
    loop.wake();
    await clock.tickAsync(10 * POLL_MS);
    assert.equal(passes.started, 1);
  });

  it('says when it is drained: after a pass that found nothing more, not before', async () => {
    let drained = false;
    void loop.drained().then(() => {
      drained = true;
    });
    loop.start();
    passes.finish(0);
    await settled();
    assert.equal(drained, false, 'more work was waiting');
    passes.finish(NOTHING_DUE);
    await settled();
    assert.equal(drained, true);
    await loop.drained();
    loop.wake();
    let again = false;
    void loop.drained().then(() => {
      again = true;
    });
    await settled();
    assert.equal(again, false, 'busy again after a wake');
    passes.finish(NOTHING_DUE);
    await settled();
    assert.equal(again, true);
  });

  it('logs a failed pass, is not drained by it, and tries again after the poll interval', async () => {
    let attempts = 0;
    const failing = createBackgroundLoop({
      pass: () => {
        attempts += 1;
        return Promise.reject(new Error('store down'));
      },
      pollIntervalMs: POLL_MS,
      timers,
      logger: silentLogger(),
      failureMessage: 'pass failed',
    });
    let drained = false;
    void failing.drained().then(() => {
      drained = true;
    });
    failing.start();
    await settled();
    assert.equal(attempts, 1);
    await clock.tickAsync(POLL_MS);
    await settled();
    assert.equal(attempts, 2);
    assert.equal(drained, false);
    await failing.stop();
    assert.equal(drained, true, 'stop releases whoever waits');
  });
});
