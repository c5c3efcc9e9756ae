import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config';
import { summarizeConfig } from '../../src/config/config-summary';
import { configError } from './config-error';

describe('config: keeper timings', () => {
  it('defaults to 55-minute subscriptions renewed 12 minutes ahead', () => {
    assert.deepEqual(loadConfig({}).keeper, {
      subscriptionLifetimeMs: 55 * 60_000,
      renewLeadMs: 12 * 60_000,
      pollIntervalMs: 15_000,
      replanIntervalMs: 60_000,
      authRecheckMs: 15 * 60_000,
      debounceMs: 10_000,
      livenessCheckMs: 15 * 60_000,
    });
  });

  it('reads short timings for a quick renew cycle and shows them in the summary', () => {
    const config = loadConfig({
      KEEPER_SUBSCRIPTION_LIFETIME_SECONDS: '180',
      KEEPER_RENEW_LEAD_SECONDS: '60',
      KEEPER_POLL_SECONDS: '2',
      KEEPER_REPLAN_SECONDS: '10',
      KEEPER_AUTH_RECHECK_SECONDS: '30',
      KEEPER_DEBOUNCE_SECONDS: '0',
      KEEPER_LIVENESS_SECONDS: '60',
    });
    assert.deepEqual(config.keeper, {
      subscriptionLifetimeMs: 180_000,
      renewLeadMs: 60_000,
      pollIntervalMs: 2_000,
      replanIntervalMs: 10_000,
      authRecheckMs: 30_000,
      debounceMs: 0,
      livenessCheckMs: 60_000,
    });
    assert.deepEqual(summarizeConfig(config).keeper, config.keeper);
  });

  it('turns the liveness check off with 0', () => {
    assert.equal(loadConfig({ KEEPER_LIVENESS_SECONDS: '0' }).keeper.livenessCheckMs, 0);
  });

  it("enforces Graph's 60-minute presence lifetime and sane minimums", () => {
    const message = configError({
      KEEPER_SUBSCRIPTION_LIFETIME_SECONDS: '3601',
      KEEPER_RENEW_LEAD_SECONDS: '5',
      KEEPER_POLL_SECONDS: '0',
      KEEPER_LIVENESS_SECONDS: '10',
    });
    for (const name of [
      'KEEPER_SUBSCRIPTION_LIFETIME_SECONDS',
      'KEEPER_RENEW_LEAD_SECONDS',
      'KEEPER_POLL_SECONDS',
      'KEEPER_LIVENESS_SECONDS',
    ]) {
      assert.match(message, new RegExp(name));
    }
    assert.match(
      configError({ KEEPER_SUBSCRIPTION_LIFETIME_SECONDS: '60' }),
      /KEEPER_SUBSCRIPTION_LIFETIME_SECONDS: Number must be greater than or equal to 120/,
    );
  });

  it('demands a renewal lead shorter than the lifetime and a poll shorter than the lead', () => {
    const lead = configError({
      KEEPER_SUBSCRIPTION_LIFETIME_SECONDS: '600',
      KEEPER_RENEW_LEAD_SECONDS: '600',
    });
    assert.match(lead, /KEEPER_RENEW_LEAD_SECONDS: must be shorter than/);
    const poll = configError({ KEEPER_RENEW_LEAD_SECONDS: '60', KEEPER_POLL_SECONDS: '60' });
    assert.match(poll, /KEEPER_POLL_SECONDS: must be shorter than/);
    const both = configError({
      KEEPER_SUBSCRIPTION_LIFETIME_SECONDS: '300',
      KEEPER_RENEW_LEAD_SECONDS: '300',
      PORT: 'eighty',
    });
    assert.match(both, /PORT/);
    assert.match(both, /KEEPER_RENEW_LEAD_SECONDS/);
  });
});
