import type { LegalPage } from './legal-page';

/** The terms of use shown to Teams users and administrators. */
export function termsPage(): LegalPage {
  return {
    title: 'Presence Watch: terms of use',
    sections: [
      {
        heading: 'Use within your organisation',
        paragraphs: [
          'Presence Watch is provided by your organisation for work use within its Microsoft 365 tenant. Use it to learn when a colleague becomes available, not to monitor people: everyone can see who watches them (/whowatchesme) and can stop it (/optout).',
        ],
      },
      {
        heading: 'No guarantee',
        paragraphs: [
          'Presence comes from Microsoft Teams and can be late, missed or wrong; alerts may be delayed or not sent. The software is provided as is, without warranty of any kind, under the MIT licence.',
        ],
      },
      {
        heading: 'Your data',
        paragraphs: [
          'What the bot stores, for how long, and how to opt out is described in the privacy statement at /privacy.',
        ],
      },
    ],
  };
}
