import { AppError } from '../../src/errors/app-error';

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The distinct `${{NAME}}` placeholder names in `text`, in order of first use. */
export function placeholderNames(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

/** Encodes a value for the text it is inserted into. */
export type ValueEncoder = (value: string) => string;

/** Encodes a value for insertion inside a JSON string literal. */
export const jsonStringEncoder: ValueEncoder = (value) => JSON.stringify(value).slice(1, -1);

/**
 * Replaces every `${{NAME}}` in `text` with its value.
 * Throws APP_PACKAGE_INVALID naming every placeholder that has no value (empty values are kept).
 */
export function resolvePlaceholders(
  text: string,
  values: Readonly<Record<string, string | undefined>>,
  encode: ValueEncoder = (value) => value,
): string {
  const missing = placeholderNames(text).filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    throw new AppError('APP_PACKAGE_INVALID', `no value for ${missing.join(', ')}`);
  }
  return text.replace(PLACEHOLDER, (_match, name: string) => encode(values[name] ?? ''));
}
