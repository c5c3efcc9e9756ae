/** An attachment as a test sees it in a sent activity. */
interface SentAttachment {
  readonly contentType?: string;
  readonly content?: unknown;
}

/**
 * The sign-in link of a sign-in card among `attachments`: an OAuth card's button, or the local
 * paste-the-code card's "Sign in" Action.OpenUrl; undefined when there is none.
 */
export function signInLinkIn(
  attachments: readonly SentAttachment[] | undefined,
): string | undefined {
  for (const attachment of attachments ?? []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.oauth') {
      const link = (attachment.content as { buttons?: { value?: string }[] }).buttons?.[0]?.value;
      if (link) return link;
    }
    if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') {
      const actions = (
        attachment.content as { actions?: { type?: string; title?: string; url?: string }[] }
      ).actions;
      const signIn = actions?.find((a) => a.type === 'Action.OpenUrl' && a.title === 'Sign in');
      if (signIn?.url) return signIn.url;
    }
  }
  return undefined;
}
