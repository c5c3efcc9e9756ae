import { adaptiveCard } from './render-card';
import { presenceRowTemplate } from './presence-row';

/** One watched person on the `/watching` card. */
export interface WatchingPerson {
  readonly targetId: string;
  readonly name: string;
  /** "added by Megan Bowen · once". */
  readonly detail: string;
  readonly availabilityText: string;
  readonly activityText: string;
  readonly color: string;
  /** True once unwatched from this card: the row says so instead of offering the button. */
  readonly stopped: boolean;
}

/** What the `/watching` card shows. */
export interface WatchingCardData {
  readonly title: string;
  readonly people: readonly WatchingPerson[];
}

const UNWATCH_COLUMN = {
  type: 'Column',
  width: 'auto',
  verticalContentAlignment: 'Center',
  items: [
    {
      type: 'ActionSet',
      $when: '${!stopped}',
      actions: [
        {
          type: 'Action.Execute',
          title: 'Unwatch',
          verb: 'unwatch',
          data: { targetId: '${targetId}', name: '${name}' },
        },
      ],
    },
    { type: 'TextBlock', $when: '${stopped}', text: 'Stopped', isSubtle: true, weight: 'Bolder' },
  ],
};

/** `/watching`: the conversation's watched people, presence, who added each, Unwatch buttons. */
export const WATCHING_TEMPLATE = adaptiveCard([
  { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
  presenceRowTemplate([UNWATCH_COLUMN]),
  {
    type: 'TextBlock',
    $when: '${count(people) == 0}',
    text: 'Nobody is watched here. Try /watch @someone.',
    wrap: true,
  },
]);
