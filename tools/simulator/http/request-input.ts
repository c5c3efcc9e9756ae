import type { Request } from 'restify';
import { badRequest } from './graph-error';

const MAX_UNPARSED_BODY_BYTES = 64 * 1024;

/** The request's query string parameters, whether or not a query parser plugin ran. */
export function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://simulator.invalid').searchParams;
}

/** One query-string value, or undefined when absent. */
export function queryValue(req: Request, name: string): string | undefined {
  return queryOf(req).get(name) ?? undefined;
}

/** Reads a route parameter that restify guarantees for the route (URL-decoded). */
export function routeParam(req: Request, name: string): string {
  const value: unknown = (req.params as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || value.length === 0) throw badRequest(`Missing ${name}.`);
  return decodeURIComponent(value);
}

async function readRawBody(req: Request): Promise<string> {
  if (req.readableEnded) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_UNPARSED_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBodyText(text: string, contentType: string): unknown {
  if (text.trim() === '') return undefined;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return JSON.parse(text) as unknown;
}

/**
 * The request body as JSON or form fields: taken from `req.body` when a body parser already ran,
 * read from the stream otherwise. Undefined when empty; rejects when malformed.
 */
export async function readBody(req: Request): Promise<unknown> {
  const contentType = String(req.headers['content-type'] ?? '');
  const existing: unknown = req.body;
  if (existing !== undefined && existing !== null) {
    if (typeof existing === 'string') return parseBodyText(existing, contentType);
    if (Buffer.isBuffer(existing)) return parseBodyText(existing.toString('utf8'), contentType);
    return existing;
  }
  return parseBodyText(await readRawBody(req), contentType);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as a JSON object, or Graph's 400 when it is empty, malformed or not an object. */
export async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  const body = await readBody(req).catch(() => undefined);
  if (!isObject(body)) throw badRequest('Empty or invalid JSON payload.');
  return body;
}

/** The body as an object; `{}` when it is empty, malformed or not an object. */
export async function optionalJsonBody(req: Request): Promise<Record<string, unknown>> {
  const body = await readBody(req).catch(() => undefined);
  return isObject(body) ? body : {};
}
