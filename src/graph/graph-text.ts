import { AppError } from '../errors/app-error';

/** An OData string literal: `text` in single quotes, with each `'` doubled. */
export function odataString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `value` as one URL path segment; an empty one is refused so `/users/` never lists everyone. */
export function pathSegment(value: string): string {
  if (value.trim().length === 0) {
    throw new AppError('GRAPH_BAD_REQUEST', 'an id in the request path is empty');
  }
  return encodeURIComponent(value);
}
