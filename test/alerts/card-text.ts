/** The "X is now Y" lines of an alert card, from its RichTextBlocks. */
export function cardLines(activity: Record<string, unknown>): string[] {
  const attachments = activity.attachments as Array<{ content: unknown }> | undefined;
  const lines: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'RichTextBlock') {
      const inlines = element.inlines as Array<{ text: string }>;
      lines.push(inlines.map((inline) => inline.text).join(''));
      return;
    }
    Object.values(element).forEach(visit);
  };
  visit(attachments?.[0]?.content);
  return lines;
}
