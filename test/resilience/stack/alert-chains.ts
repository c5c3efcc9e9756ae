import type { AlertCardRow } from './alert-card-rows';

/** What the cards of one conversation say when read as one chain of changes per person. */
export interface ChainReport {
  /** Cards that restate a change already shown (a resend after a crash, maybe with later changes merged in). */
  readonly repeatedCards: number;
  /** Rows that neither continue nor restate the person's last change: a lost or duplicated change. */
  readonly breaks: string[];
  /** The last "now" per person. */
  readonly last: ReadonlyMap<string, string>;
}

/**
 * Reads the cards as one chain per person starting at `initial` (words per person): a row must
 * continue the person's chain ("was" = the last "now"), or restate their last change from the same
 * "was" (the at-least-once resend the contract allows); anything else is a break.
 */
export function checkChains(
  cards: readonly AlertCardRow[][],
  initial: ReadonlyMap<string, string>,
): ChainReport {
  const last = new Map<string, { previous: string | undefined; now: string }>();
  for (const [id, now] of initial) last.set(id, { previous: undefined, now });
  const breaks: string[] = [];
  let repeatedCards = 0;
  for (const card of cards) {
    let repeated = false;
    for (const row of card) {
      const before = last.get(row.targetId);
      if (before?.previous !== undefined && row.previous === before.previous) repeated = true;
      else if (before?.now !== row.previous)
        breaks.push(`${row.name}: was "${row.previous}", expected "${before?.now ?? '?'}"`);
      last.set(row.targetId, { previous: row.previous, now: row.now });
    }
    if (repeated) repeatedCards += 1;
  }
  return {
    repeatedCards,
    breaks,
    last: new Map([...last].map(([id, value]) => [id, value.now])),
  };
}
