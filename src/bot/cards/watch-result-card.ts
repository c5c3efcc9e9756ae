import { adaptiveCard } from './render-card';
import { plainText } from './plain-text';
import { presenceRowTemplate } from './presence-row';

/** One person on the watch-result card. */
export interface WatchResultPerson {
  readonly name: string;
  readonly detail: string;
  readonly availabilityText: string;
  readonly activityText: string;
  readonly color: string;
}

/** Reply to `/watch`: who is now watched, their current presence, and anything that failed. */
export const WATCH_RESULT_TEMPLATE = adaptiveCard([
  plainText('${title}', { weight: 'Bolder', size: 'Medium' }),
  {
    type: 'TextBlock',
    text: 'Notify: ${optionsText}',
    $when: '${count(people) > 0}',
    isSubtle: true,
    spacing: 'None',
    wrap: true,
  },
  presenceRowTemplate(),
  { ...plainText('${$data}'), $data: '${notes}' },
]);
