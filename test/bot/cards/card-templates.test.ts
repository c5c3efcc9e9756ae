import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as AC from 'adaptivecards';
import { CANDIDATES_TEMPLATE } from '../../../src/bot/cards/candidates-card';
import { PEOPLE_PICKER_TEMPLATE } from '../../../src/bot/cards/people-picker-card';
import { presenceLabel } from '../../../src/bot/cards/presence-labels';
import { renderCard, type CardTemplate } from '../../../src/bot/cards/render-card';
import { WATCH_RESULT_TEMPLATE } from '../../../src/bot/cards/watch-result-card';
import { WATCHING_TEMPLATE } from '../../../src/bot/cards/watching-card';

const SAMPLES: Record<string, [CardTemplate, object]> = {
  'watch-result': [
    WATCH_RESULT_TEMPLATE,
    {
      title: 'Watching Megan Bowen',
      optionsText: 'only when available',
      people: [{ name: 'Megan Bowen', detail: '', ...presenceLabel('Busy', 'InAMeeting') }],
      notes: ['I couldn’t find "Zed".'],
    },
  ],
  watching: [
    WATCHING_TEMPLATE,
    {
      title: 'Watched here (1)',
      people: [
        {
          targetId: 'id-1',
          name: 'Megan Bowen',
          detail: 'added by you · once',
          stopped: false,
          ...presenceLabel('Available', 'Available'),
        },
        {
          targetId: 'id-2',
          name: 'Adele Vance',
          detail: 'no longer watched',
          stopped: true,
          availabilityText: '',
          activityText: '',
          color: 'Default',
        },
      ],
    },
  ],
  'people-picker': [PEOPLE_PICKER_TEMPLATE, { dataset: 'graph.microsoft.com/users' }],
  candidates: [
    CANDIDATES_TEMPLATE,
    {
      query: '"Al"',
      options: { onlyWhenAvailable: false, once: true, includeActivity: false },
      candidates: [
        { id: 'id-a', name: 'Alex Wilber', detail: 'Marketing Assistant' },
        { id: 'id-b', name: 'Allan Deyoung', detail: '' },
      ],
    },
  ],
};

function parseErrors(card: Record<string, unknown>): string[] {
  const context = new AC.SerializationContext();
  new AC.AdaptiveCard().parse(card, context);
  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1) errors.push(context.getEventAt(i).message);
  return errors;
}

describe('bot card templates', () => {
  for (const [name, [template, data]] of Object.entries(SAMPLES)) {
    it(`${name} renders with sample data, parses cleanly and matches its snapshot`, async () => {
      const card = renderCard(template, data);
      assert.deepEqual(parseErrors(card), []);
      assert.doesNotMatch(JSON.stringify(card), /\$\{|\$data|\$when/);
      const file = path.join(__dirname, 'snapshots', `${name}.json`);
      const rendered = `${JSON.stringify(card, null, 2)}\n`;
      if (process.env.UPDATE_SNAPSHOTS === '1') await writeFile(file, rendered);
      assert.equal(rendered, await readFile(file, 'utf8'));
    });
  }

  it('keeps candidate options typed as booleans', () => {
    const [template, data] = SAMPLES.candidates!;
    const text = JSON.stringify(renderCard(template, data));
    assert.match(text, /"once":true/);
    assert.match(text, /"title":"Alex Wilber \(Marketing Assistant\)"/);
    assert.match(text, /"title":"Allan Deyoung"/);
  });
});
