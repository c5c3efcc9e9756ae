import assert from 'node:assert/strict';
import { recordFigure } from './resilience-figures';
import { channelUserOf, watchFromPersonalChat } from './stack/chat-flows';
import { until } from './stack/presence-burst';
import { ORGANISATION, startResilienceStack, type ResilienceStack } from './stack/resilience-stack';

const SUITE = 'timings';
const PATCH_ROUTE = 'PATCH /v1.0/subscriptions/:id';
const POST_ROUTE = 'POST /v1.0/subscriptions';
/** Renewed every 10 s: 120 s subscriptions renewed 110 s ahead, the loop waking every second. */
const TIMINGS = {
  KEEPER_SUBSCRIPTION_LIFETIME_SECONDS: '120',
  KEEPER_RENEW_LEAD_SECONDS: '110',
  KEEPER_POLL_SECONDS: '1',
};

describe('resilience: keeper timings from the environment (black box)', function () {
  this.timeout(240_000);
  let stack: ResilienceStack;

  before(async () => {
    stack = await startResilienceStack();
    const instance = await stack.startInstance('bot', { env: TIMINGS });
    stack.botUrl = instance.url;
  });
  after(() => stack?.stop());

  it('renews on the configured cycle in seconds and recreates a subscription lost silently', async () => {
    const [watcher, target] = [ORGANISATION[0]!, ORGANISATION[6]!];
    const routes = () => stack.sim.counters().routes;
    await watchFromPersonalChat(
      stack,
      { id: 'a:timings', type: 'personal' },
      channelUserOf(watcher),
      [target],
    );
    const [first] = stack.sim.subscriptions();
    assert.ok(first && first.expiresAt <= stack.sim.clock.now() + 120_000);
    const started = Date.now();
    await until(
      'two renewals',
      async () => (routes()[PATCH_ROUTE] ?? 0) >= 2,
      60_000,
      async () => routes(),
    );
    const twoRenewalsMs = Date.now() - started;
    assert.equal(stack.sim.subscriptions()[0]?.id, first.id);

    assert.ok(stack.sim.loseSubscription(first.id));
    const lostAt = Date.now();
    await until(
      'the lost subscription created again',
      async () => (routes()[POST_ROUTE] ?? 0) >= 2 && stack.sim.subscriptions().length === 1,
      60_000,
      async () => routes(),
    );
    const recreatedMs = Date.now() - lostAt;

    recordFigure(
      SUITE,
      'two renewals after creation (real s)',
      (twoRenewalsMs / 1000).toFixed(1),
      '≤ 30',
    );
    recordFigure(
      SUITE,
      'lost subscription recreated after (real s)',
      (recreatedMs / 1000).toFixed(1),
      '≤ 20',
    );
    assert.equal(stack.sim.counters().counters['subscriptions.expired'], undefined);
    assert.ok(twoRenewalsMs <= 30_000);
    assert.ok(recreatedMs <= 20_000);
  });
});
