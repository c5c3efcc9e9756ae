import { plainText } from './plain-text';

/** A template row showing `${name}` (plain text) with its availability (coloured) and activity. */
export function presenceRowTemplate(extraColumns: unknown[] = []): Record<string, unknown> {
  return {
    type: 'ColumnSet',
    $data: '${people}',
    spacing: 'Small',
    separator: true,
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        verticalContentAlignment: 'Center',
        items: [
          plainText('${name}', { weight: 'Bolder' }),
          {
            ...plainText('${detail}', { isSubtle: true, size: 'Small' }),
            $when: "${detail != ''}",
            spacing: 'None',
          },
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Center',
        items: [
          { type: 'TextBlock', text: '${availabilityText}', color: '${color}', weight: 'Bolder' },
          {
            type: 'TextBlock',
            text: '${activityText}',
            $when: "${activityText != ''}",
            isSubtle: true,
            spacing: 'None',
            size: 'Small',
          },
        ],
      },
      ...extraColumns,
    ],
  };
}
