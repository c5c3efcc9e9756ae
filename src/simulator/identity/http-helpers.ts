import type { Request, Response } from 'restify';
import type { Logger } from '../../logging/logger';

const MAX_BODY_BYTES = 64 * 1024;

/** The request's query string parameters, whether or not a query parser plugin ran. */
export function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://simulator.invalid').searchParams;
}

async function readRawBody(req: Request): Promise<string> {
  if (req.readableEnded) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
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
 * read from the stream otherwise. Undefined when empty; throws when malformed.
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

/** Sends `body` as JSON with `status`. */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.sendRaw(status, JSON.stringify(body));
}

/** Sends the token service's / Graph's `{error: {code, message}}` body. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/** Sends an HTML page. */
export function sendHtml(res: Response, status: number, html: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.sendRaw(status, html);
}

/** Sends plain text. */
export function sendText(res: Response, status: number, text: string): void {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.sendRaw(status, text);
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A restify route handler (async, as restify requires for handlers without `next`). */
export type RouteHandler = (req: Request, res: Response) => Promise<void>;

/** Wraps `handler` as an async restify handler that answers 500 in Graph's error shape when it throws. */
export function asyncRoute(
  logger: Logger,
  handler: (req: Request, res: Response) => Promise<void> | void,
): RouteHandler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      logger.error({ err: error, route: req.getRoute()?.path }, 'identity route failed');
      if (!res.headersSent) {
        sendError(res, 500, 'InternalServerError', 'The simulator could not handle the request.');
      }
    }
  };
}
