import assert from 'node:assert/strict';
import { closeLoadAgent, postBody } from '../../tools/bench/http-load';
import type { ReceiverMemory } from '../../tools/bench/receiver-harness';
import { sampleBodies } from './fuzz-mutations';
import { startFuzzReceiver, type FuzzReceiver } from './fuzz-receiver';
import { postInOrder } from './post-bodies';
import { recordFigure } from './resilience-figures';

const SUITE = 'fuzz';
const TOTAL_BODIES = 100_000;
const CHUNK = 2_500;
const WARM_UP_BODIES = 5_000;
/** Where RSS outside the V8 heap is first sampled (reported only: see docs/resilience.md). */
const HALF_WAY_BODIES = 50_000;
const CONCURRENCY = 32;
const SEED = 20_261_124;
const ALLOWED_STATUSES = new Set([202, 413, 400]);
/** What the receiver still holds after a full GC: live JS objects plus Buffers outside the heap. */
const MAX_RETAINED_DRIFT_MIB = 8;

function mib(bytes: number | undefined): number {
  return (bytes ?? 0) / 1024 / 1024;
}

function retained(memory: ReceiverMemory | undefined): number {
  return mib(memory && memory.heapUsed + memory.external);
}

function native(memory: ReceiverMemory | undefined): number {
  return mib(memory && memory.rss - memory.heapTotal);
}

function figureMib(value: number): string {
  return `${value.toFixed(1)} MiB`;
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
    let start: ReceiverMemory | undefined;
    let halfWay: ReceiverMemory | undefined;
    const started = Date.now();
    for (let sent = 0; sent < TOTAL_BODIES; sent += CHUNK) {
      const bodies = sampleBodies(fuzz.genuineBody, CHUNK, SEED + sent);
      for (const outcome of await postInOrder(fuzz.receiver.url, bodies, CONCURRENCY)) {
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.error) errors.set(outcome.error, (errors.get(outcome.error) ?? 0) + 1);
      }
      if (sent + CHUNK === WARM_UP_BODIES) start = await fuzz.receiver.memory();
      if (sent + CHUNK === HALF_WAY_BODIES) halfWay = await fuzz.receiver.memory();
    }
    const seconds = (Date.now() - started) / 1000;
    const alive = fuzz.alive();
    const end = alive ? await fuzz.receiver.memory() : undefined;
    const handshake = await handshakeAnswer(fuzz.receiver.url);
    const genuine = await postBody(fuzz.receiver.url, fuzz.genuineBody);
    const stats = await fuzz.receiver.stats();
    const others = [...statuses].filter(([status]) => !ALLOWED_STATUSES.has(status));
    const otherCount = others.reduce((sum, [, count]) => sum + count, 0);
    const retainedDrift = retained(end) - retained(start);
    const nativeDrift = native(end) - native(halfWay);

    recordFigure(SUITE, 'mutated bodies sent', TOTAL_BODIES, '100,000');
    recordFigure(
      SUITE,
      'answers by status',
      [...statuses].map(([status, n]) => `${status}: ${n.toLocaleString('en-US')}`).join(', '),
    );
    recordFigure(SUITE, 'answers other than 202/413/400', otherCount, '0');
    recordFigure(SUITE, 'receiver crashes', alive ? 0 : 1, '0');
    recordFigure(SUITE, 'receiver RSS after 5,000 bodies', figureMib(mib(start?.rss)));
    recordFigure(SUITE, 'receiver RSS at the end', figureMib(mib(end?.rss)));
    recordFigure(SUITE, 'receiver RSS drift', figureMib(mib(end?.rss) - mib(start?.rss)));
    recordFigure(
      SUITE,
      'V8 heap committed after 5,000 bodies → end',
      `${mib(start?.heapTotal).toFixed(1)} → ${figureMib(mib(end?.heapTotal))}`,
    );
    recordFigure(
      SUITE,
      'retained (heap used + external) 5,000 → end',
      `${retained(start).toFixed(1)} → ${figureMib(retained(end))}`,
    );
    recordFigure(
      SUITE,
      'retained memory drift',
      figureMib(retainedDrift),
      `< ${MAX_RETAINED_DRIFT_MIB} MiB`,
    );
    recordFigure(
      SUITE,
      'RSS drift outside the V8 heap (50,000 bodies → end)',
      figureMib(nativeDrift),
    );
    recordFigure(SUITE, 'receiver peak RSS (maxRSS)', figureMib(mib(stats.maxRssKb * 1024)));
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
    assert.ok(
      start?.collected && halfWay?.collected && end?.collected,
      'memory was not read after a forced GC',
    );
    assert.ok(
      retainedDrift < MAX_RETAINED_DRIFT_MIB,
      `retained memory grew by ${retainedDrift.toFixed(1)} MiB`,
    );
  });
});
