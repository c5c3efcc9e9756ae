import { CardFactory, type Attachment } from 'botbuilder';
import { Template } from 'adaptivecards-templating';

/** An Adaptive Card template (JSON with `${...}` bindings). */
export type CardTemplate = Record<string, unknown>;

/** Expands a template with `data` into an Adaptive Card's JSON. */
export function renderCard(template: CardTemplate, data: object): Record<string, unknown> {
  return new Template(template).expand({ $root: data }) as Record<string, unknown>;
}

/** Expands a template into a message attachment. */
export function cardAttachment(template: CardTemplate, data: object): Attachment {
  return CardFactory.adaptiveCard(renderCard(template, data));
}

/** The envelope every template shares. */
export function adaptiveCard(body: unknown[], actions: unknown[] = []): CardTemplate {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}
