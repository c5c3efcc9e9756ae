import * as ACData from 'adaptivecards-templating';
import type { Activity } from 'botbuilder';
import type { NetChange } from './alert-coalescing';
import { presenceLook, presenceStateWords } from './presence-words';
import template from './templates/alert-card.json';

/** The content type of an Adaptive Card attachment. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The verb of an alert card's "Stop watching" button. */
export const STOP_WATCHING_VERB = 'stopWatching';

/** The data one row of the alert card template shows. */
export interface AlertCardRow {
  readonly dot: string;
  readonly dotColor: string;
  readonly name: string;
  readonly now: string;
  readonly color: string;
  readonly previous: string;
  readonly observedAtIso: string;
  readonly targetId: string;
  /** False once this person is no longer watched in the conversation: the row says so by name. */
  readonly watched: boolean;
}

/** The data the alert card template expands. */
export interface AlertCardData {
  readonly heading: string;
  readonly changes: AlertCardRow[];
  /** The outbox alerts the card shows, comma-joined: "Stop watching" redraws the card from them. */
  readonly alertIds: string;
}

/** Which alerts a card shows and which of its people are no longer watched where it was posted. */
export interface AlertCardState {
  readonly alertIds: readonly number[];
  /** Target ids (lower-case) no longer watched in the conversation. */
  readonly stopped?: ReadonlySet<string>;
}

function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The template data for net changes: each row says the availability and, when it adds something,
 * the activity (an activity alert too: "Busy (Presenting)", was "Busy (In a meeting)").
 */
export function alertCardData(
  changes: readonly NetChange[],
  state: AlertCardState = { alertIds: [] },
): AlertCardData {
  const rows = changes.map((change): AlertCardRow => {
    const look = presenceLook(change.to.availability);
    return {
      dot: look.dot,
      dotColor: look.dotColor,
      name: change.targetName,
      now: presenceStateWords(change.to),
      color: look.color,
      previous: presenceStateWords(change.from),
      observedAtIso: isoSeconds(change.observedAt),
      targetId: change.targetId,
      watched: !state.stopped?.has(change.targetId.toLowerCase()),
    };
  });
  return {
    heading: `${rows.length} presence changes`,
    changes: rows,
    alertIds: state.alertIds.join(','),
  };
}

/** Parsed once: parsing the template costs milliseconds a card, expanding it a fraction of one. */
const compiledTemplate = new ACData.Template(template);

/** Expands the alert card template (Adaptive Card 1.5) for some net changes. */
export function renderAlertCard(
  changes: readonly NetChange[],
  state?: AlertCardState,
): Record<string, unknown> {
  return compiledTemplate.expand({ $root: alertCardData(changes, state) }) as Record<
    string,
    unknown
  >;
}

/** A one-line summary for notifications and clients without cards: "Alex Wilber is now Available". */
export function alertSummary(changes: readonly NetChange[]): string {
  const [first] = alertCardData(changes).changes;
  if (changes.length !== 1 || !first) return `${changes.length} presence changes`;
  return `${first.name} is now ${first.now}`;
}

/** The message activity carrying the alert card for the outbox alerts `alertIds`. */
export function alertActivity(
  changes: readonly NetChange[],
  alertIds: readonly number[] = [],
): Partial<Activity> {
  return {
    type: 'message',
    summary: alertSummary(changes),
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        content: renderAlertCard(changes, { alertIds }),
      },
    ],
  };
}
