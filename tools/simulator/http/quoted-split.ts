/**
 * Splits `text` at every match of `separator` that lies outside single-quoted OData literals
 * (`''` inside a literal is an escaped quote) and double-quoted `$search` terms.
 */
export function splitOutsideQuotes(text: string, separator: RegExp): string[] {
  const masked = maskQuoted(text);
  const global = new RegExp(
    separator.source,
    separator.flags.includes('g') ? separator.flags : `${separator.flags}g`,
  );
  const parts: string[] = [];
  let start = 0;
  for (const match of masked.matchAll(global)) {
    parts.push(text.slice(start, match.index));
    start = match.index + match[0].length;
  }
  parts.push(text.slice(start));
  return parts;
}

/** `text` with every character inside quotes replaced by `x`, so no separator matches there. */
function maskQuoted(text: string): string {
  let quote: string | undefined;
  let masked = '';
  for (const char of text) {
    if (quote === undefined) {
      if (char === "'" || char === '"') quote = char;
      masked += char;
    } else if (char === quote) {
      quote = undefined;
      masked += char;
    } else {
      masked += 'x';
    }
  }
  return masked;
}
