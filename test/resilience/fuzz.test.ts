import assert from 'node:assert/strict';
import { closeLoadAgent, postBody } from '../../src/bench/http-load';
import { sampleBodies } from './fuzz-mutations';
import { startFuzzReceiver, type FuzzReceiver } from './fuzz-receiver';
import { postInOrder } from './post-bodies';
import { recordFigure } from './resilience-figures';

const SUITE = 'fuzz';
const TOTAL_BODIES = 100_000;
const CHUNK = 2_500;
const WARM_UP_BODIES = 5_000;
const CONCURRENCY = 32;
const SEED = 20_261_124;
const ALLOWED_STATUSES = new Set([202, 413, 400]);
const MAX_RSS_DRIFT_MIB = 64;

function mib(kb: number | undefined): number {
  return (kb ?? 0) / 1024;
}

async function handshakeAnswer(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}?validationToken=${encodeURIComponent('still alive ✓')}`, {
    method: 'POST',
  });
  return { status: response.status, text: await response.text() };
}

describe('resilience: fuzzed notification bodies against the receiver process', function () {
  this.timeout(600_000);
  let fuzz: FuzzReceiver;

  before(async () => {
    fuzz = await startFuzzReceiver();
  });
  after(async () => {
    await fuzz?.close();
    closeLoadAgent();
  });

  it('answers 100,000 mutated bodies without crashing, with bounded memory', async () => {
    const statuses = new Map<number, number>();
    const errors = new Map<string, number>();
    let startRssKb: number | undefined;
    const started = Date.now();
    for (let sent = 0; sent < TOTAL_BODIES; sent += CHUNK) {
      const bodies = sampleBodies(fuzz.genuineBody, CHUNK, SEED + sent);
      for (const outcome of await postInOrder(fuzz.receiver.url, bodies, CONCURRENCY)) {
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.error) errors.set(outcome.error, (errors.get(outcome.error) ?? 0) + 1);
      }
      if (sent + CHUNK === WARM_UP_BODIES) startRssKb = fuzz.rssKb();
    }
    const seconds = (Date.now() - started) / 1000;
    const endRssKb = fuzz.rssKb();
    const alive = fuzz.alive();
    const handshake = await handshakeAnswer(fuzz.receiver.url);
    const genuine = await postBody(fuzz.receiver.url, fuzz.genuineBody);
    const stats = await fuzz.receiver.stats();
    const others = [...statuses].filter(([status]) => !ALLOWED_STATUSES.has(status));
    const otherCount = others.reduce((sum, [, count]) => sum + count, 0);
    const drift = mib(endRssKb) - mib(startRssKb);

    recordFigure(SUITE, 'mutated bodies sent', TOTAL_BODIES, '100,000');
    recordFigure(
      SUITE,
      'answers by status',
      [...statuses].map(([status, n]) => `${status}: ${n.toLocaleString('en-US')}`).join(', '),
    );
    recordFigure(SUITE, 'answers other than 202/413/400', otherCount, '0');
    recordFigure(SUITE, 'receiver crashes', alive ? 0 : 1, '0');
    recordFigure(SUITE, 'receiver RSS after 5,000 bodies', `${mib(startRssKb).toFixed(1)} MiB`);
    recordFigure(SUITE, 'receiver RSS at the end', `${mib(endRssKb).toFixed(1)} MiB`);
    recordFigure(
      SUITE,
      'receiver RSS drift',
      `${drift.toFixed(1)} MiB`,
      `< ${MAX_RSS_DRIFT_MIB} MiB`,
    );
    recordFigure(SUITE, 'receiver peak RSS (maxRSS)', `${mib(stats.maxRssKb).toFixed(1)} MiB`);
    recordFigure(
      SUITE,
      'inbox after sending (pending/done/rejected)',
      `${stats.pending}/${stats.done}/${stats.rejected}`,
    );
    recordFigure(SUITE, 'sending duration', `${seconds.toFixed(1)} s`, '60–90 s');

    assert.deepEqual(Object.fromEntries(errors), {}, 'requests failed in transport');
    assert.deepEqual(others, []);
    assert.ok(alive, 'the receiver process died');
    assert.deepEqual(handshake, { status: 200, text: 'still alive ✓' });
    assert.equal(genuine.status, 202);
    assert.ok(startRssKb !== undefined && endRssKb !== undefined, 'RSS could not be read');
    assert.ok(drift < MAX_RSS_DRIFT_MIB, `RSS grew by ${drift.toFixed(1)} MiB`);
  });
});
