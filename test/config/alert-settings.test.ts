import assert from 'node:assert/strict';
import { alertFanOutSettings, alertSenderSettings } from '../../src/app/alert-service';
import { TEAMS_RETRY } from '../../src/backoff/backoff';
import { loadConfig } from '../../src/config/config';
import { summarizeConfig } from '../../src/config/config-summary';
import { configError } from './config-error';

describe('config: alert timings', () => {
  it('defaults to a 2 s coalescing window, a 5 s poll and 12 attempts backing off from 1 s to 5 min', () => {
    const { alerts } = loadConfig({});
    assert.deepEqual(alertSenderSettings(alerts), {
      conversationsPerClaim: 20,
      leaseMs: 60_000,
      pollIntervalMs: 5_000,
      idleFloorMs: 250,
      maxAttempts: 12,
      backoff: { ...TEAMS_RETRY, baseMs: 1_000, maxMs: 5 * 60_000 },
      maxChangesPerCard: 10,
    });
    assert.deepEqual(alertFanOutSettings(alerts), {
      batchSize: 100,
      leaseMs: 60_000,
      coalesceWindowMs: 2_000,
      pollMs: 1_000,
    });
  });

  it('reads every ALERT_* variable into the sender and fan-out settings and the summary', () => {
    const config = loadConfig({
      ALERT_COALESCE_SECONDS: '0',
      ALERT_POLL_SECONDS: '2',
      ALERT_RETRY_BASE_SECONDS: '3',
      ALERT_RETRY_MAX_SECONDS: '60',
      ALERT_MAX_ATTEMPTS: '4',
    });
    const sender = alertSenderSettings(config.alerts);
    assert.equal(alertFanOutSettings(config.alerts).coalesceWindowMs, 0);
    assert.equal(sender.pollIntervalMs, 2_000);
    assert.deepEqual([sender.backoff.baseMs, sender.backoff.maxMs], [3_000, 60_000]);
    assert.equal(sender.maxAttempts, 4);
    assert.deepEqual(summarizeConfig(config).alerts, config.alerts);
  });

  it('reports a first retry longer than the longest and an attempt count out of range together', () => {
    const message = configError({
      ALERT_RETRY_BASE_SECONDS: '30',
      ALERT_RETRY_MAX_SECONDS: '10',
      ALERT_MAX_ATTEMPTS: '0',
    });
    assert.match(
      message,
      /ALERT_RETRY_BASE_SECONDS: must not be longer than ALERT_RETRY_MAX_SECONDS/,
    );
    assert.match(message, /ALERT_MAX_ATTEMPTS/);
  });
});
