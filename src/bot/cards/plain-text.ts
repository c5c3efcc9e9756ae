/**
 * A RichTextBlock with one TextRun: text shown exactly as given, never read as markdown (a
 * TextBlock would turn typed `[text](url)` into a link). For anything a user typed or a name.
 */
export function plainText(
  text: string,
  style: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, ...style }] };
}
