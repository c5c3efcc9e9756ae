import assert from 'node:assert/strict';
import { closeLoadAgent } from '../../tools/bench/http-load';
import { presenceNotificationItem } from '../../tools/simulator/delivery/notification-items';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { ORDER_DOUBT_WINDOW_MS } from '../../src/store/presence-order';
import { ADELE_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { contentForgeries, downgradeForgeries } from './forgery-content';
import { bodyOf, genuineToken, type Forgery } from './forgery-genuine';
import { randomForgeries } from './forgery-random';
import { startForgeryRig, type ForgeryRig } from './forgery-rig';
import { structureForgeries } from './forgery-structure';
import { tokenForgeries } from './forgery-tokens';
import { postChunked, postInOrder } from './post-bodies';
import { recordFigure } from './resilience-figures';

const SUITE = 'forgery';
const MAX_BODY_BYTES = 1024 * 1024;
const RANDOM_FORGERIES = 300;
const DRAIN_TIMEOUT_MS = 60_000;

async function allForgeries(rig: ForgeryRig): Promise<Forgery[]> {
  const token = await genuineToken(rig.source);
  return [
    ...(await tokenForgeries(rig.source)),
    ...contentForgeries(rig.source, token),
    ...downgradeForgeries(rig.source, token),
    ...structureForgeries(rig.source, token, MAX_BODY_BYTES),
    ...randomForgeries(rig.source, token, RANDOM_FORGERIES, 20_260_801),
  ];
}

function unexpectedAnswers(forgeries: readonly Forgery[], statuses: readonly number[]): string[] {
  return forgeries.flatMap((forgery, i) =>
    statuses[i] === forgery.expectedStatus
      ? []
      : [`${forgery.category}: ${statuses[i]} (expected ${forgery.expectedStatus})`],
  );
}

describe('resilience: forged change notifications', function () {
  this.timeout(180_000);
  let rig: ForgeryRig;

  before(async () => {
    rig = await startForgeryRig();
  });
  after(async () => {
    await rig?.close();
    closeLoadAgent();
  });

  it('answers every forgery 202 (413 when oversize), lets none through, and keeps working', async () => {
    const started = Date.now();
    const initialChanges = await rig.changeCount();
    rig.harness.sim.clock.advance(ORDER_DOUBT_WINDOW_MS);
    const control = presenceNotificationItem(
      rig.source.subscription,
      MEGAN_ID,
      COMMON_PRESENCES.inACall,
    );
    const controlStatus = await postInOrder(
      rig.url,
      [bodyOf([control], [await genuineToken(rig.source)])],
      1,
    );
    await rig.drain(DRAIN_TIMEOUT_MS);
    await rig.fanOut();
    const changesBefore = await rig.changeCount();
    const alertsBefore = await rig.alertCount();
    const doneBefore = (await rig.inbox()).done;

    const forgeries = await allForgeries(rig);
    const outcomes = await postInOrder(
      rig.url,
      forgeries.map((f) => f.body),
      16,
    );
    const chunkedOversize = await postChunked(rig.url, Buffer.alloc(2 * MAX_BODY_BYTES, 0x20));
    const drained = await rig.drain(DRAIN_TIMEOUT_MS);
    const fanned = await rig.fanOut();
    const alertsAfterForgeries = await rig.alertCount();
    const forgedChanges = (await rig.changeCount()) - changesBefore;
    const forgedVerified = drained.done - doneBefore;
    const wrongAnswers = unexpectedAnswers(
      forgeries,
      outcomes.map((o) => o.status),
    );
    const forgeryMs = Date.now() - started;

    await rig.harness.setPresence(ADELE_ID, COMMON_PRESENCES.away);
    await rig.drain(DRAIN_TIMEOUT_MS);
    const genuineChanges = (await rig.changeCount()) - changesBefore - forgedChanges;
    const genuineFanOut = await rig.fanOut();

    const categories = new Set(forgeries.map((f) => f.category.replace(/ \(.*\)$/, '')));
    recordFigure(SUITE, 'forged bodies sent', forgeries.length + 1, '≥ 1,000');
    recordFigure(SUITE, 'forgery categories', categories.size);
    recordFigure(SUITE, 'forged items rejected by the worker', drained.rejected);
    recordFigure(SUITE, 'forged accepted (presence changes produced)', forgedChanges, '0');
    recordFigure(SUITE, 'alerts queued from forgeries', fanned.alerts, '0');
    recordFigure(
      SUITE,
      'non-202 answers (413 expected only for > 1 MiB)',
      wrongAnswers.length + (chunkedOversize === 413 ? 0 : 1),
      '0',
    );
    recordFigure(SUITE, 'forgery phase duration', `${(forgeryMs / 1000).toFixed(1)} s`, '≤ 60 s');
    const codes = await rig.rejectionCodes();
    recordFigure(SUITE, 'distinct rejection codes', Object.keys(codes).length);
    recordFigure(SUITE, 'forged items verified without presence data (ignored)', forgedVerified);

    assert.deepEqual(controlStatus, [{ status: 202 }]);
    assert.equal(changesBefore - initialChanges, 1, 'the genuine control body made no change');
    assert.ok(forgeries.length >= 1000, `only ${forgeries.length} forgeries`);
    assert.deepEqual(wrongAnswers, []);
    assert.equal(chunkedOversize, 413);
    assert.equal(drained.pending, 0, 'the worker did not drain the inbox');
    assert.equal(forgedChanges, 0);
    assert.deepEqual(fanned, { changes: 0, alerts: 0, removedWatches: [] });
    assert.equal(alertsAfterForgeries, alertsBefore);
    assert.equal(genuineChanges, 1);
    assert.equal(genuineFanOut.alerts, 1);
  });
});
