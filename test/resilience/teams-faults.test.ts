import assert from 'node:assert/strict';
import {
  TEAMS_CONVERSATION_LIMITS,
  TEAMS_TENANT_LIMITS,
} from '../../src/alerts/conversation-pacer';
import { ALERT_SENDER_SETTINGS } from '../../src/app/alert-service';
import { silentLogger } from '../../src/logging/logger';
import { seededRandom, seedFromText } from '../../tools/simulator/seeded-random';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import { cardLines } from '../alerts/card-text';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { createTempDirectory, type TempDirectory } from '../helpers/temp-files';
import { recordFigure } from './resilience-figures';
import {
  compareDelivery,
  maxInWindow,
  pacingViolations,
  retryAfterViolations,
  timesByConversation,
  tightestSpan,
} from './teams-faults-checks';
import { startAlertPipeline, waitForQuiet } from './teams-faults-pipeline';
import { faultsPlan, queueChangesOverTime, storeFaultsPlan } from './teams-faults-scenario';

const SUITE = 'teams-faults';
const FAULT_SHARE = 0.3;
const RETRY_AFTER_MS = 1_000;
/** Grant-to-receive latency differs per request: pacing windows are checked this much shorter. */
const CLOCK_SLACK_MS = 5;
const GIVE_UP_MS = 120_000;

describe('Teams faults: 30% of sends answered 429 with Retry-After', function () {
  let temp: TempDirectory;
  let store: StoreDatabase;
  let connector: FakeBotConnector;

  before(async () => {
    temp = await createTempDirectory('pw-teams-faults-');
    store = await openDatabase(
      { kind: 'sqlite', file: await temp.write('store.sqlite', '') },
      silentLogger(),
    );
    connector = new FakeBotConnector(Date.now);
    await connector.start();
    connector.failRandomly({
      share: FAULT_SHARE,
      answer: { status: 429, retryAfter: String(RETRY_AFTER_MS / 1_000) },
      seed: seedFromText(SUITE),
    });
  });

  after(async () => {
    await connector.stop();
    await store.close();
    await temp.remove();
  });

  it('delivers every alert once, in order per conversation, never above Teams limits', async () => {
    const db = store.db;
    const plan = faultsPlan(seededRandom(seedFromText(`${SUITE}-plan`)));
    await storeFaultsPlan(db, connector, plan, Date.now());
    const startedAt = Date.now();
    const pipeline = startAlertPipeline(store, Date.now);
    let queued = false;
    const queuing = queueChangesOverTime(db, plan, startedAt, Date.now).finally(() => {
      queued = true;
    });
    await waitForQuiet(db, () => queued, GIVE_UP_MS);
    const durationMs = Date.now() - startedAt;
    await queuing;
    await pipeline.stop();

    const alerts = await db.selectFrom('alert_outbox').selectAll().orderBy('id').execute();
    const expectedAlerts = plan.changes.reduce((sum, change) => sum + change.watchers.length, 0);
    const notSent = alerts.filter((alert) => alert.status !== 'sent');
    const received = connector.received;
    const delivered = connector.delivered();
    const throttled = received.filter((request) => request.status === 429).length;

    let deliveredOnce = 0;
    let outOfOrder = 0;
    const deliveryProblems: string[] = [];
    for (const conversationId of plan.conversations) {
      const expected = plan.changes
        .filter((change) => change.watchers.includes(conversationId))
        .map((change) => change.line);
      const lines = connector
        .delivered(conversationId)
        .flatMap((request) => cardLines(request.activity));
      const comparison = compareDelivery(expected, lines);
      deliveredOnce += comparison.deliveredOnce;
      outOfOrder += comparison.outOfOrder;
      if (lines.length !== expected.length || comparison.deliveredOnce !== expected.length) {
        deliveryProblems.push(`${conversationId}: ${lines.length} lines for ${expected.length}`);
      }
    }

    const byConversation = timesByConversation(received);
    const pacingProblems = [...byConversation].flatMap(([conversationId, times]) =>
      pacingViolations(times, TEAMS_CONVERSATION_LIMITS, CLOCK_SLACK_MS).map(
        (problem) => `${conversationId}: ${problem}`,
      ),
    );
    const tenantTimes = received.map((request) => request.at).sort((a, b) => a - b);
    pacingProblems.push(...pacingViolations(tenantTimes, TEAMS_TENANT_LIMITS, CLOCK_SLACK_MS));
    const retryProblems = retryAfterViolations(received, RETRY_AFTER_MS);
    const busiestConversation = Math.max(
      ...[...byConversation.values()].map((times) => maxInWindow(times, 1_000)),
    );

    recordFigure(SUITE, 'duration', `${(durationMs / 1_000).toFixed(1)} s`, '≤ 90 s');
    recordFigure(SUITE, 'requests to the connector', received.length);
    recordFigure(SUITE, 'cards sent (2xx)', delivered.length);
    recordFigure(
      SUITE,
      '429 answers',
      `${throttled} (${((100 * throttled) / received.length).toFixed(1)}%)`,
      '≈ 30%',
    );
    recordFigure(SUITE, 'alerts delivered', `${deliveredOnce} of ${expectedAlerts}`, 'all');
    recordFigure(
      SUITE,
      'alerts ended sent',
      `${alerts.length - notSent.length} of ${alerts.length}`,
      'all',
    );
    recordFigure(SUITE, 'out-of-order lines', outOfOrder, '0');
    recordFigure(SUITE, 'pacing violations', pacingProblems.length, '0');
    recordFigure(SUITE, 'Retry-After violations', retryProblems.length, '0');
    recordFigure(SUITE, 'max requests in 1 s, one conversation', busiestConversation, '≤ 7');
    recordFigure(SUITE, 'max requests in 1 s, tenant', maxInWindow(tenantTimes, 1_000), '≤ 50');
    const tightestConversation = Math.min(
      ...[...byConversation.values()].map((times) => tightestSpan(times, 7)),
    );
    recordFigure(
      SUITE,
      'shortest span of 8 requests, one conversation',
      `${tightestConversation} ms`,
      '≥ 1,000 ms',
    );
    recordFigure(
      SUITE,
      'shortest span of 51 requests, tenant',
      `${tightestSpan(tenantTimes, 50)} ms`,
      '≥ 1,000 ms',
    );
    const mostAttempts = Math.max(...alerts.map((alert) => alert.attempts));
    recordFigure(
      SUITE,
      'most attempts on one alert',
      mostAttempts,
      `< ${ALERT_SENDER_SETTINGS.maxAttempts}`,
    );

    assert.deepEqual(pipeline.fanOutErrors, []);
    assert.ok(throttled > received.length * 0.2, `the fault mode answered ${throttled} 429s`);
    assert.equal(alerts.length, expectedAlerts, 'one alert per change and watching conversation');
    assert.deepEqual(
      notSent.map(
        (alert) =>
          `${alert.conversation_id}/${alert.target_id}: ${alert.status} ${alert.last_error}`,
      ),
      [],
    );
    assert.deepEqual(deliveryProblems, []);
    assert.equal(deliveredOnce, expectedAlerts);
    assert.equal(outOfOrder, 0);
    assert.deepEqual(pacingProblems, []);
    assert.deepEqual(retryProblems, []);
  });
});
