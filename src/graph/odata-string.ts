/** An OData string literal: `text` in single quotes, with each `'` doubled. */
export function odataString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
