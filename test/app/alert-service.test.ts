import assert from 'node:assert/strict';
import { startAlertService, type AlertService } from '../../src/app/alert-service';
import { AppError } from '../../src/errors/app-error';
import { createGraphClient } from '../../src/graph';
import { silentLogger } from '../../src/logging/logger';
import { listWatches } from '../../src/store/watches';
import { createWatchService } from '../../src/watch/watch-service';
import {
  addChange,
  addConversation,
  addWatch,
  realSend,
  TENANT,
  TestClock,
} from '../alerts/alert-harness';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { forEachEngine } from '../helpers/for-each-engine';

const CONVERSATION = 'a:personal-watcher-1';
const FAN_OUT = { batchSize: 100, leaseMs: 60_000, coalesceWindowMs: 0, pollMs: 60_000 };

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

forEachEngine('alert service: watches it removes go through the watch service', (fixture) => {
  let clock: TestClock;
  let connector: FakeBotConnector;
  let keeper: string[];
  let alerts: AlertService | undefined;

  beforeEach(async () => {
    clock = new TestClock();
    connector = new FakeBotConnector(clock.now);
    await connector.start();
    keeper = [];
    await addConversation(fixture.store.db, connector, CONVERSATION);
  });

  afterEach(async () => {
    await alerts?.stop();
    alerts = undefined;
    await connector.stop();
  });

  function start(): AlertService {
    const watches = createWatchService({
      store: fixture.store,
      coverage: { redundancy: 1, maxIdsPerSubscription: 650 },
      onWatchesChanged: (tenantId) => void keeper.push(`replan ${tenantId}`),
      now: clock.now,
    });
    alerts = startAlertService({
      store: fixture.store,
      send: realSend(clock),
      graph: createGraphClient({ baseUrl: 'http://127.0.0.1:9/v1.0', logger: silentLogger() }),
      tokens: { getToken: () => Promise.reject(new AppError('TOKEN_UNAVAILABLE', 'none')) },
      logger: silentLogger(),
      now: clock.now,
      watches,
      fanOut: FAN_OUT,
    });
    return alerts;
  }

  it('tells the keeper when Teams says a conversation is gone', async () => {
    await addWatch(fixture.store.db, CONVERSATION, 'megan');
    await addChange(fixture.store.db, 'megan', ['Away'], ['Available']);
    connector.script(CONVERSATION, { status: 404 });
    start().presenceChanged();
    await until('the keeper is told', () => keeper.length > 0);
    assert.deepEqual(keeper, [`replan ${TENANT}`]);
    assert.deepEqual(await listWatches(fixture.store.db), []);
  });

  it('tells the keeper when a once watch fired and was removed', async () => {
    await addWatch(fixture.store.db, CONVERSATION, 'megan', { once: true });
    await addChange(fixture.store.db, 'megan', ['Away'], ['Available']);
    start().presenceChanged();
    await until('the keeper is told', () => keeper.length > 0);
    assert.deepEqual(keeper, [`replan ${TENANT}`]);
    await until('the card is sent', () => connector.delivered(CONVERSATION).length === 1);
  });
});
