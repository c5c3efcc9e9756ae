import { plainText } from './plain-text';
import { adaptiveCard } from './render-card';

/** The verb of a candidate button. */
export const CANDIDATE_SUBMIT_VERB = 'watchCandidate';

/** An ambiguous name: one button per candidate; the choice is watched with the same options. */
export const CANDIDATES_TEMPLATE = adaptiveCard([
  plainText('Which ${query} do you mean?', { weight: 'Bolder' }),
  {
    type: 'ActionSet',
    $data: '${candidates}',
    actions: [
      {
        type: 'Action.Submit',
        title: "${name}${if(detail != '', concat(' (', detail, ')'), '')}",
        data: {
          verb: CANDIDATE_SUBMIT_VERB,
          targetId: '${id}',
          onlyWhenAvailable: '${$root.options.onlyWhenAvailable}',
          once: '${$root.options.once}',
          includeActivity: '${$root.options.includeActivity}',
        },
      },
    ],
  },
]);
