import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error';
import { exceedsJsonDepth } from './json-depth';
import { readRawBody } from './read-raw-body';

/** How much JSON a route accepts. */
export interface JsonBodyLimits {
  maxBytes: number;
  maxDepth: number;
}

/**
 * True when the request declares an uncompressed UTF-8 `application/json` body: the only kind a
 * JSON route reads. Anything else (multipart, forms, other charsets, gzip) is refused unread.
 */
export function isPlainJsonRequest(request: IncomingMessage): boolean {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') return false;
  const [mediaType = '', ...parameters] = (request.headers['content-type'] ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() !== 'charset') return true;
    return ['utf-8', 'utf8'].includes(value.trim().replace(/"/g, '').toLowerCase());
  });
}

/**
 * Reads a JSON object body into memory, never to disk: REQUEST_MEDIA_TYPE_UNSUPPORTED unless it is
 * plain `application/json`, REQUEST_BODY_TOO_LARGE past `maxBytes`, REQUEST_BODY_MALFORMED unless it
 * parses to an object within `maxDepth` levels.
 */
export async function readJsonBody(
  request: IncomingMessage,
  limits: JsonBodyLimits,
): Promise<Record<string, unknown>> {
  if (!isPlainJsonRequest(request)) {
    request.resume();
    throw new AppError('REQUEST_MEDIA_TYPE_UNSUPPORTED');
  }
  const body = await readRawBody(request, limits.maxBytes);
  if (exceedsJsonDepth(body, limits.maxDepth)) {
    throw new AppError('REQUEST_BODY_MALFORMED', 'body nests too deeply');
  }
  let document: unknown;
  try {
    document = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('REQUEST_BODY_MALFORMED', 'body is not JSON');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new AppError('REQUEST_BODY_MALFORMED', 'body is not a JSON object');
  }
  return document as Record<string, unknown>;
}

/** The HTTP status that answers a body that could not be read. */
export function statusForBodyError(error: unknown): number {
  if (!(error instanceof AppError)) return 400;
  if (error.code === 'REQUEST_MEDIA_TYPE_UNSUPPORTED') return 415;
  if (error.code === 'REQUEST_BODY_TOO_LARGE') return 413;
  return 400;
}
