import type { SimUser } from '../../../tools/simulator/directory/sim-user';
import type { RunningSimulator } from '../../../tools/simulator/simulator-server';
import type { FakeBotConnector } from '../../helpers/fake-bot-connector';
import { deliveredCards } from './alert-card-rows';
import { checkChains } from './alert-chains';
import { BURST_START, cardWords } from './presence-burst';

/** What the fake connector saw, read as one chain of changes per conversation and person. */
export interface AlertAudit {
  readonly cards: number;
  readonly repeatedCards: number;
  readonly breaks: string[];
  /** People whose last card does not show their final presence. */
  readonly wrongFinal: string[];
}

/** Audits the cards each conversation received against the simulator's final presence. */
export function auditAlerts(
  connector: FakeBotConnector,
  sim: RunningSimulator,
  conversationIds: readonly string[],
  people: readonly SimUser[],
): AlertAudit {
  const initial = new Map(people.map((p) => [p.id, cardWords(BURST_START)]));
  let cards = 0;
  let repeatedCards = 0;
  const breaks: string[] = [];
  const wrongFinal: string[] = [];
  for (const conversationId of conversationIds) {
    const delivered = deliveredCards(connector.received, conversationId);
    const report = checkChains(delivered, initial);
    cards += delivered.length;
    repeatedCards += report.repeatedCards;
    breaks.push(...report.breaks.map((b) => `${conversationId}: ${b}`));
    for (const person of people) {
      const final = cardWords(sim.getPresence(person.id));
      if (report.last.get(person.id) !== final)
        wrongFinal.push(
          `${conversationId}: ${person.displayName} ends "${report.last.get(person.id)}", not "${final}"`,
        );
    }
  }
  return { cards, repeatedCards, breaks, wrongFinal };
}
