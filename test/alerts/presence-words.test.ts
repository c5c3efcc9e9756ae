import assert from 'node:assert/strict';
import { presenceStateWords } from '../../src/alerts/presence-words';
import { presenceLabel } from '../../src/bot/cards/presence-labels';

describe('presence words', () => {
  it('says availability and activity once each, without doubled parentheses', () => {
    const cases: [string, string, string][] = [
      ['AvailableIdle', 'Available', 'Available (idle)'],
      ['AvailableIdle', 'Inactive', 'Available (idle), inactive'],
      ['Busy', 'InACall', 'Busy (In a call)'],
      ['Away', 'Away', 'Away'],
      ['BusyIdle', 'Busy', 'Busy (idle)'],
      ['DoNotDisturb', 'Presenting', 'Do not disturb (Presenting)'],
    ];
    for (const [availability, activity, words] of cases) {
      assert.equal(presenceStateWords({ availability, activity }), words);
    }
  });

  it('leaves the activity line off a bot card when it repeats the availability', () => {
    assert.deepEqual(presenceLabel('AvailableIdle', 'Available'), {
      availabilityText: 'Available (idle)',
      activityText: '',
      color: 'Good',
    });
    assert.equal(presenceLabel('BeRightBack', 'BeRightBack').color, 'Default');
  });
});
