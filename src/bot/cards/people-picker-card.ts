import { adaptiveCard } from './render-card';

/** The verb of the picker's submit action. */
export const PICKER_SUBMIT_VERB = 'watchPicked';

function toggle(id: string, title: string): Record<string, unknown> {
  return { type: 'Input.Toggle', id, title, value: 'false', valueOn: 'true', valueOff: 'false' };
}

/** `/watch` alone: a multi-select people picker and the watch options. */
export const PEOPLE_PICKER_TEMPLATE = adaptiveCard(
  [
    { type: 'TextBlock', text: 'Whom do you want to watch?', weight: 'Bolder', wrap: true },
    {
      type: 'Input.ChoiceSet',
      id: 'people',
      isMultiSelect: true,
      placeholder: 'Type a name',
      choices: [],
      'choices.data': { type: 'Data.Query', dataset: '${dataset}' },
    },
    toggle('onlyWhenAvailable', 'Only when they become available'),
    toggle('once', 'Just once'),
    toggle('includeActivity', 'Also activity changes (e.g. presenting)'),
  ],
  [{ type: 'Action.Submit', title: 'Watch', data: { verb: PICKER_SUBMIT_VERB } }],
);
