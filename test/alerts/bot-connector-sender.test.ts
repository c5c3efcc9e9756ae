import assert from 'node:assert/strict';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { botConnectorSender } from '../../src/alerts/bot-connector-sender';
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
