/** A template row showing `${name}` with its availability (coloured) and activity. */
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
          { type: 'TextBlock', text: '${name}', weight: 'Bolder', wrap: true },
          {
            type: 'TextBlock',
            text: '${detail}',
            $when: "${detail != ''}",
            isSubtle: true,
            spacing: 'None',
            size: 'Small',
            wrap: true,
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
