import type { LegalPage } from './legal-page';

/** How long one kind of stored record is kept once finished. */
export interface RetentionRule {
  readonly name: string;
  readonly keepMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

function duration(ms: number): string {
  if (ms % (24 * HOUR_MS) === 0) {
    const days = ms / (24 * HOUR_MS);
    return days === 1 ? '1 day' : `${days} days`;
  }
  const hours = Math.round(ms / HOUR_MS);
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** The privacy statement, with the retention periods the running store actually applies. */
export function privacyPage(retention: readonly RetentionRule[]): LegalPage {
  return {
    title: 'Presence Watch: privacy statement',
    sections: [
      {
        heading: 'What Presence Watch does',
        paragraphs: [
          'Presence Watch is a Microsoft Teams bot run by your organisation. When someone types /watch in a chat or channel, it reads the Teams presence (for example Available or Busy) of the people they named, with their own delegated Microsoft Graph consent (Presence.Read.All, User.ReadBasic.All), and posts a card in that conversation when the presence changes.',
          "The data stays in your organisation: it is stored in the database of this deployment, in your organisation's Azure subscription, and is not shared with anyone else. Sign-in tokens are kept by the Azure Bot Service token store; the secrets Presence Watch keeps itself (subscription secrets, the notification decryption key) are encrypted at rest.",
        ],
      },
      {
        heading: 'What it stores',
        items: [
          'Watches: who asked to watch whom, in which conversation, with the options chosen. Kept until someone types /unwatch, the watched person opts out, or the bot is removed from the conversation.',
          'The last known presence (availability and activity) of each watched person. Only the latest value is kept, never a history; it is deleted an hour after nobody watches the person any more.',
          'Conversation references (the ids Teams needs so the bot can post into a chat or channel), kept until the bot is removed from the conversation or 30 days after it was last used with nothing watched there, and the Teams account id of each person who talked to the bot (to find their sign-in), deleted 30 days after they last spoke if they watch nobody, or at once when they uninstall the app.',
          "Graph subscription records: which people each signer-in's subscription covers, and a per-subscription secret, encrypted at rest.",
          'Opt-outs: the people who asked not to be watched.',
          'Received change notifications (encrypted as Microsoft Graph sent them), presence changes and alert cards waiting to be sent, each deleted a fixed time after it is processed (below).',
          'Sign-in progress (the state of a sign-in dialog) while a sign-in is under way.',
        ],
      },
      {
        heading: 'How long',
        paragraphs: [
          'Processed records are deleted automatically, every hour, once they are older than:',
        ],
        items: retention.map((rule) => `${rule.name}: ${duration(rule.keepMs)}`),
      },
      {
        heading: 'How to see and stop it',
        items: [
          '/whowatchesme shows which conversations watch your presence.',
          '/optout keeps everyone from watching your presence and removes every existing watch of you; /optin allows it again.',
          "/unwatch stops a watch; removing the bot from a chat or team forgets that conversation's watches.",
          '/signout signs you out: your Graph subscription is deleted, and the watches you created pause until you sign in again (or go on where a colleague covers them).',
          'Uninstalling the app from your personal chat signs you out and deletes your watches and account entry.',
        ],
      },
      {
        heading: 'Who to contact',
        paragraphs: [
          "Your organisation's Teams administrator runs this deployment and answers requests about your data, including requests to delete it.",
        ],
      },
    ],
  };
}
