import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { recordFigure } from './resilience-figures';
import { channelUserOf, watchFromPersonalChat } from './stack/chat-flows';
import { BURST_START, runBurst, until } from './stack/presence-burst';
import { ORGANISATION, startResilienceStack, type ResilienceStack } from './stack/resilience-stack';
import { filesUnder, scanForSecrets, type SecretCatalogue } from './stack/secret-scan';
import { isValidationToken, recordIssuedTokens } from './stack/issued-tokens';

const WATCHERS = ORGANISATION.slice(0, 2);
const TARGETS = ORGANISATION.slice(6, 9);
describe('secrets: a full scenario with debug logging leaves nothing secret in clear', function () {
  this.timeout(180_000);
  let stack: ResilienceStack;

  before(async () => {
    stack = await startResilienceStack();
  });

  after(async () => {
    await stack?.stop();
  });

  it('finds no token, refresh token, client state, key or decrypted presence in the logs or the database', async () => {
    const issued = recordIssuedTokens(stack);
    const storeKey = randomBytes(32);
    const previousStoreKey = randomBytes(32);
    for (const person of TARGETS) stack.sim.setPresence(person.id, BURST_START);
    const bot = await stack.startInstance('bot', {
      logLevel: 'debug',
      env: {
        STORE_ENCRYPTION_KEY: storeKey.toString('base64'),
        STORE_ENCRYPTION_PREVIOUS_KEYS: previousStoreKey.toString('base64'),
      },
    });
    const conversations = WATCHERS.map((w) => ({
      id: `a:secrets-${w.id}`,
      type: 'personal' as const,
    }));
    for (const [i, watcher] of WATCHERS.entries()) {
      await watchFromPersonalChat(stack, conversations[i]!, channelUserOf(watcher), TARGETS);
    }
    await runBurst(stack.sim, TARGETS, { from: 0, to: 30 }, { pauseEvery: 3, pauseMs: 100 });
    for (const subscription of stack.sim.subscriptions())
      stack.sim.triggerLifecycle(subscription.id, 'reauthorizationRequired');
    stack.sim.setPresence(TARGETS[0]!.id, COMMON_PRESENCES.presenting);
    const clientStates = stack.sim.subscriptions().map((s) => s.clientState ?? '');
    await until(
      'the last change alerted',
      async () =>
        JSON.stringify(stack.connector.received.at(-1)?.activity ?? {}).includes('Presenting'),
      60_000,
      async () => stack.connector.received.length,
    );
    await stack.channel.say(conversations[1]!, channelUserOf(WATCHERS[1]!), '/signout');
    stack.sim.revokeConsent(WATCHERS[0]!.id);
    stack.sim.setPresence(TARGETS[1]!.id, COMMON_PRESENCES.away);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await bot.stop();

    const catalogue: SecretCatalogue = {
      values: [
        ...issued.flatMap((t) => [
          { kind: 'access token', value: t.accessToken },
          { kind: 'refresh token', value: t.refreshToken },
        ]),
        ...clientStates.map((value) => ({ kind: 'client state', value })),
        { kind: 'store key (base64)', value: storeKey.toString('base64') },
        { kind: 'store key (hex)', value: storeKey.toString('hex') },
        { kind: 'previous store key (base64)', value: previousStoreKey.toString('base64') },
        { kind: 'previous store key (hex)', value: previousStoreKey.toString('hex') },
      ],
      patterns: [
        {
          kind: 'JWT other than a Graph validation token',
          pattern: /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/,
          allowed: isValidationToken,
        },
        { kind: 'PEM private key', pattern: /PRIVATE KEY/ },
        { kind: 'decrypted presence payload', pattern: /"id":"[^"]+","availability":"/ },
      ],
    };
    const logs = [
      {
        name: 'bot.log',
        text: (await filesUnder(stack.dir)).find((f) => f.name === 'bot.log')?.text ?? '',
      },
    ];
    const database = await filesUnder(`${stack.dir}/data`);
    const findings = scanForSecrets([...logs, ...database], catalogue);
    const logLines = logs[0]!.text.split('\n').length;

    recordFigure(
      'secrets',
      'log lines scanned (debug) / database files',
      `${logLines} / ${database.length}`,
    );
    recordFigure('secrets', 'secrets known to the scan', catalogue.values.length);
    recordFigure('secrets', 'secrets found in clear', findings.length, '0');
    assert.ok(logLines > 100, 'the scenario logged at debug level');
    assert.ok(issued.length >= WATCHERS.length);
    assert.ok(clientStates.every((value) => value.length > 0));
    assert.deepEqual(findings, []);
  });
});
