import assert from 'node:assert/strict';
import { COMMAND_PATTERNS, parseWatchArguments, personQueries } from '../../src/bot/command-text';
import { personMentions, textWithoutBotMentions } from '../../src/bot/mentions';

describe('bot command text', () => {
  it('anchors every command', () => {
    assert.ok(COMMAND_PATTERNS.watch.test('/watch @Alex'));
    assert.ok(COMMAND_PATTERNS.watch.test('/WATCH'));
    assert.ok(!COMMAND_PATTERNS.watch.test('/watchlist'));
    assert.ok(!COMMAND_PATTERNS.watch.test('please /watch Alex'));
    assert.ok(!COMMAND_PATTERNS.watching.test('/watching extra'));
    assert.ok(COMMAND_PATTERNS.unwatch.test('/unwatch all'));
  });

  it('takes options out in any order and case', () => {
    const parsed = parseWatchArguments('Alex Wilber ONCE with activity, When Available');
    assert.deepEqual(parsed.options, {
      onlyWhenAvailable: true,
      once: true,
      includeActivity: true,
    });
    assert.equal(parsed.rest, 'Alex Wilber');
    assert.equal(parseWatchArguments('Oncey Availableton').rest, 'Oncey Availableton');
  });

  it('splits e-mail addresses from names', () => {
    assert.deepEqual(personQueries('alex@contoso.com Megan Bowen, Adele; b@x.io'), {
      emails: ['alex@contoso.com', 'b@x.io'],
      names: ['Megan Bowen', 'Adele'],
    });
  });

  it('reads names typed with @ where the client made no mention', () => {
    assert.deepEqual(personQueries('@Megan Bowen @Adele Vance, Alex'), {
      emails: [],
      names: ['Megan Bowen', 'Adele Vance', 'Alex'],
    });
    assert.deepEqual(personQueries('@ Megan'), { emails: [], names: ['Megan'] });
  });

  it('reads person mentions once each, without the bot', () => {
    const activity = {
      text: '<at>Bot</at> /watch <at>A (b) [c]</at> <at>A (b) [c]</at>',
      recipient: { id: 'bot', name: 'Bot' },
      entities: [
        { type: 'mention', mentioned: { id: 'bot', name: 'Bot' }, text: '<at>Bot</at>' },
        { type: 'mention', mentioned: { id: 'u1', name: 'A (b) [c]' }, text: '<at>A (b) [c]</at>' },
        { type: 'mention', mentioned: { id: 'u1', name: 'A (b) [c]' }, text: '<at>A (b) [c]</at>' },
        { type: 'clientInfo' },
      ],
    };
    assert.deepEqual(personMentions(activity), [
      { channelUserId: 'u1', name: 'A (b) [c]', text: '<at>A (b) [c]</at>' },
    ]);
    assert.equal(textWithoutBotMentions(activity), '/watch <at>A (b) [c]</at> <at>A (b) [c]</at>');
  });
});
