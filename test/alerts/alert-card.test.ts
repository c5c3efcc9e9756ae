import assert from 'node:assert/strict';
import { AdaptiveCard, SerializationContext } from 'adaptivecards';
import type { NetChange } from '../../src/alerts/alert-coalescing';
import { alertActivity, alertSummary, renderAlertCard } from '../../src/alerts/alert-card';
import { cardLines } from './card-text';

const ALEX: NetChange = {
  targetId: 'alex-id',
  targetName: 'Alex Wilber',
  kind: 'availability',
  from: { availability: 'Busy', activity: 'InAMeeting' },
  to: { availability: 'Available', activity: 'Available' },
  observedAt: Date.UTC(2024, 4, 6, 9, 30, 15, 123),
};

const MEGAN: NetChange = {
  targetId: 'megan-id',
  targetName: 'Megan Bowen',
  kind: 'activity',
  from: { availability: 'Busy', activity: 'InAMeeting' },
  to: { availability: 'Busy', activity: 'Presenting' },
  observedAt: Date.UTC(2024, 4, 6, 9, 31, 0),
};

function parseErrors(card: Record<string, unknown>): string[] {
  const context = new SerializationContext();
  new AdaptiveCard().parse(card, context);
  return Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
}

function find(node: unknown, type: string): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap((child) => find(child, type));
  if (typeof node !== 'object' || node === null) return [];
  const element = node as Record<string, unknown>;
  const own = element.type === type ? [element] : [];
  return [...own, ...Object.values(element).flatMap((child) => find(child, type))];
}

describe('alert card', () => {
  it('renders "Alex Wilber is now Available" as an Adaptive Card 1.5 that parses cleanly', () => {
    const card = renderAlertCard([ALEX]);
    assert.equal(card.version, '1.5');
    assert.deepEqual(parseErrors(card), []);
    const activity = alertActivity([ALEX]);
    assert.equal(activity.summary, 'Alex Wilber is now Available');
    assert.deepEqual(cardLines(activity as Record<string, unknown>), [
      'Alex Wilber is now Available',
    ]);
    const texts = find(card, 'TextBlock').map((block) => block.text);
    assert.ok(texts.includes('●'));
    assert.ok(
      texts.includes(
        'Was Busy (In a meeting) · {{DATE(2024-05-06T09:30:15Z, SHORT)}} {{TIME(2024-05-06T09:30:15Z)}}',
      ),
    );
    assert.ok(
      !texts.some((t) => String(t).includes('presence changes')),
      'no heading for one change',
    );
    const colors = find(card, 'TextRun')
      .map((run) => run.color)
      .filter(Boolean);
    assert.deepEqual(colors, ['Good']);
  });

  it('offers Stop watching as an Action.Execute with the target id and the card’s alerts', () => {
    const [action, ...others] = find(
      renderAlertCard([ALEX], { alertIds: [4, 7] }),
      'Action.Execute',
    );
    assert.equal(others.length, 0);
    assert.deepEqual(
      [action?.title, action?.verb, action?.data],
      ['Stop watching', 'stopWatching', { targetId: 'alex-id', alertIds: '4,7' }],
    );
  });

  it('lists several changes in one card, activity changes in words', () => {
    const card = renderAlertCard([ALEX, MEGAN]);
    assert.deepEqual(parseErrors(card), []);
    const activity = alertActivity([ALEX, MEGAN]) as Record<string, unknown>;
    assert.deepEqual(cardLines(activity), [
      'Alex Wilber is now Available',
      'Megan Bowen is now Busy (Presenting)',
    ]);
    assert.equal(alertSummary([ALEX, MEGAN]), '2 presence changes');
    assert.ok(find(card, 'TextBlock').some((block) => block.text === '2 presence changes'));
    assert.deepEqual(
      find(card, 'Action.Execute').map((a) => a.data),
      [
        { targetId: 'alex-id', alertIds: '' },
        { targetId: 'megan-id', alertIds: '' },
      ],
    );
  });

  it('says the availability in activity alerts, and what it was', () => {
    const card = renderAlertCard([MEGAN]);
    const texts = find(card, 'TextBlock').map((block) => String(block.text));
    assert.ok(texts.some((text) => text.startsWith('Was Busy (In a meeting) · ')));
  });

  it('draws the status dot with a plain glyph and never colours words yellow', () => {
    const away: NetChange = { ...ALEX, to: { availability: 'Away', activity: 'Away' } };
    const states = [ALEX, MEGAN, away];
    for (const change of states) {
      const card = renderAlertCard([change]);
      const [dot] = find(card, 'TextBlock');
      assert.match(String(dot?.text), /^[\u25a0-\u25ff\u2296]$/u);
      const words = find(card, 'TextRun').map((run) => run.color);
      assert.ok(!words.includes('Warning'), JSON.stringify(words));
    }
    assert.doesNotMatch(JSON.stringify(renderAlertCard(states)), /\p{Extended_Pictographic}/u);
  });

  it('keeps unknown presence values readable', () => {
    const odd: NetChange = {
      ...ALEX,
      to: { availability: 'FocusingDeeply', activity: 'FocusingDeeply' },
    };
    const card = renderAlertCard([odd]);
    assert.deepEqual(parseErrors(card), []);
    assert.deepEqual(cardLines(alertActivity([odd]) as Record<string, unknown>), [
      'Alex Wilber is now Focusing deeply',
    ]);
  });
});
