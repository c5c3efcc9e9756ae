import assert from 'node:assert/strict';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationReference,
} from 'botbuilder';
import { botConnectorSender, SDK_RETRY_POLICY } from '../../src/alerts/bot-connector-sender';
import { isAppError } from '../../src/errors/app-error';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { START, TestClock } from './alert-harness';

describe('botConnectorSender', () => {
  let clock: TestClock;
  let connector: FakeBotConnector;

  beforeEach(async () => {
    clock = new TestClock(START);
    connector = new FakeBotConnector(clock.now);
    await connector.start();
  });

  afterEach(() => connector.stop());

  function referenceTo(conversationId: string): Partial<ConversationReference> {
    return {
      serviceUrl: connector.serviceUrl,
      channelId: 'msteams',
      conversation: { id: conversationId, isGroup: true, conversationType: 'groupChat', name: '' },
      bot: { id: '28:bot', name: 'Presence Watch' },
    };
  }

  it('finds the retry policy it switches off in the real connector client botbuilder builds', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    let policyNames: string[] = [];
    await adapter.continueConversationAsync('', referenceTo('any-chat'), async (context) => {
      const connectorClient: unknown = context.turnState.get(adapter.ConnectorClientKey);
      const pipeline: unknown = Reflect.get(
        Reflect.get(connectorClient as object, 'client'),
        'pipeline',
      );
      const policies = (
        pipeline as { getOrderedPolicies(): Array<{ name: string }> }
      ).getOrderedPolicies();
      policyNames = policies.map((policy) => policy.name);
    });
    assert.ok(
      policyNames.includes(SDK_RETRY_POLICY),
      `botbuilder's connector pipeline no longer holds "${SDK_RETRY_POLICY}" (it holds ${policyNames.join(', ')}): the retry switch-off in bot-connector-sender.ts must be rewritten`,
    );
  });

  it('makes exactly one POST when the connector answers 503, leaving the retry to the alert sender', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    connector.script('flaky-chat', { status: 503 });
    const send = botConnectorSender(adapter, '', clock.now);

    await assert.rejects(
      send(referenceTo('flaky-chat'), { type: 'message', text: 'Megan Bowen is now Available' }),
      (error) => isAppError(error, 'TEAMS_UNAVAILABLE'),
    );
    assert.equal(connector.received.length, 1, 'botbuilder did not retry on its own');
  });

  it('makes exactly one POST when the connector answers 429 with Retry-After', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    connector.script('busy-chat', { status: 429, retryAfter: '1' });
    const send = botConnectorSender(adapter, '', clock.now);

    await assert.rejects(
      send(referenceTo('busy-chat'), { type: 'message', text: 'Megan Bowen is now Available' }),
      (error) => isAppError(error, 'TEAMS_THROTTLED'),
    );
    assert.equal(connector.received.length, 1, 'botbuilder did not sleep through the 429');
  });

  it('reports a conversation Teams no longer knows as a coded error, never as an unhandled turn error', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const turnErrors: Error[] = [];
    adapter.onTurnError = async (context, error) => {
      turnErrors.push(error);
      await context.sendActivity('Sorry, something went wrong on my side. Please try again.');
    };
    connector.script('gone-chat', { status: 404 });
    const send = botConnectorSender(adapter, '', clock.now);

    await assert.rejects(
      send(
        {
          serviceUrl: connector.serviceUrl,
          channelId: 'msteams',
          conversation: { id: 'gone-chat', isGroup: true, conversationType: 'groupChat', name: '' },
          bot: { id: '28:bot', name: 'Presence Watch' },
        },
        { type: 'message', text: 'Megan Bowen is now Available' },
      ),
      (error) => isAppError(error, 'TEAMS_CONVERSATION_GONE'),
    );
    assert.deepEqual(turnErrors, []);
    assert.equal(connector.received.length, 1, 'no apology is posted into the lost conversation');
  });
});
