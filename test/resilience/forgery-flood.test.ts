import assert from 'node:assert/strict';
import { createLogger } from '../../src/logging/logger';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ORDER_DOUBT_WINDOW_MS } from '../../src/store/presence-order';
import { ADELE_ID } from '../helpers/tenant-simulator-harness';
import { floodBodies, postAllFrom, type FloodShape } from './forgery-flood';
import { startForgeryRig, type ForgeryRig } from './forgery-rig';
import { recordFigure } from './resilience-figures';

const SUITE = 'forgery';
const ITEMS_PER_SHAPE = 10_000;
/** The anonymous forger (unknown subscriptions, then guessed clientStates: one budget). */
const ATTACKER_ADDRESS = '127.0.0.2';
/** The insider who knows a clientState: another source, so the forger's 429s are not theirs. */
const INSIDER_ADDRESS = '127.0.0.3';
const DRAIN_TIMEOUT_MS = 60_000;
const MIB = 1024 * 1024;

interface PhaseFigures {
  rows: number;
  batches: number;
  logLines: number;
  rssGrowthMiB: number;
  maxAttempts: number;
  statuses: Map<number, number>;
}

describe('resilience: forged-item flood', function () {
  this.timeout(300_000);
  let rig: ForgeryRig;
  let logLines = 0;

  before(async () => {
    const logger = createLogger({
      level: 'info',
      format: 'json',
      destination: { write: () => void (logLines += 1) },
    });
    rig = await startForgeryRig({ logger });
  });
  after(async () => {
    await rig?.close();
  });

  const count = async (table: 'notification_inbox' | 'notification_batches'): Promise<number> =>
    (await rig.harness.store.db.selectFrom(table).select('id').execute()).length;

  const maxAttempts = async (): Promise<number> => {
    const row = await rig.harness.store.db
      .selectFrom('notification_inbox')
      .select((eb) => eb.fn.max<number>('attempts').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  };

  async function flood(shape: FloodShape, source = ATTACKER_ADDRESS): Promise<PhaseFigures> {
    const bodies = await floodBodies(rig.source, shape, ITEMS_PER_SHAPE);
    const [rowsBefore, batchesBefore, linesBefore] = [
      await count('notification_inbox'),
      await count('notification_batches'),
      logLines,
    ];
    const rssBefore = process.memoryUsage().rss;
    const answers = await postAllFrom(rig.url, bodies, source);
    await rig.drain(DRAIN_TIMEOUT_MS);
    const statuses = new Map<number, number>();
    for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const figures: PhaseFigures = {
      rows: (await count('notification_inbox')) - rowsBefore,
      batches: (await count('notification_batches')) - batchesBefore,
      logLines: logLines - linesBefore,
      rssGrowthMiB: Math.max(0, (process.memoryUsage().rss - rssBefore) / MIB),
      maxAttempts: await maxAttempts(),
      statuses,
    };
    record(shape, figures);
    return figures;
  }

  function record(shape: FloodShape, figures: PhaseFigures): void {
    const per = `per 10k (${shape})`;
    recordFigure(SUITE, `flood inbox rows ${per}`, figures.rows);
    const target = shape === 'unknown kid' ? '≤ 1 per claim of 100' : '≤ 5';
    recordFigure(SUITE, `flood log lines ${per}`, figures.logLines, target);
    recordFigure(SUITE, `flood RSS growth ${per}`, `${figures.rssGrowthMiB.toFixed(1)} MiB`);
    const answers = [...figures.statuses].map(([status, n]) => `${status}: ${n}`).join(', ');
    recordFigure(SUITE, `flood answers ${per}`, answers);
  }

  it('keeps anonymous forged items out of the store, rejects unknown keys once, logs counts', async () => {
    const unknown = await flood('unknown subscription');
    const guessed = await flood('wrong clientState');
    const unknownKid = await flood('unknown kid', INSIDER_ADDRESS);

    rig.harness.sim.clock.advance(ORDER_DOUBT_WINDOW_MS);
    await rig.harness.setPresence(ADELE_ID, COMMON_PRESENCES.away);
    await rig.drain(DRAIN_TIMEOUT_MS);
    const genuine = await rig.fanOut();
    recordFigure(SUITE, 'flood: genuine change alerted afterwards', genuine.alerts, '1');

    for (const phase of [unknown, guessed]) {
      assert.equal(phase.rows, 0);
      assert.equal(phase.batches, 0);
      assert.ok(phase.logLines <= 5, `${phase.logLines} log lines`);
      assert.ok([...phase.statuses.keys()].every((status) => status === 202 || status === 429));
    }
    assert.ok(guessed.statuses.has(429), 'the attacker was never rate limited');
    assert.equal(
      unknownKid.rows,
      ITEMS_PER_SHAPE,
      'an insider with the clientState still reaches the worker',
    );
    assert.equal(unknownKid.maxAttempts, 1, 'a forged token was retried');
    const claims = ITEMS_PER_SHAPE / 100;
    assert.ok(unknownKid.logLines <= claims + 5, `${unknownKid.logLines} log lines`);
    assert.deepEqual(await rig.rejectionCodes(), { VALIDATION_TOKEN_INVALID: ITEMS_PER_SHAPE });
    assert.equal(genuine.alerts, 1);
  });
});
