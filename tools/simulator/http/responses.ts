import type { Response } from 'restify';
import { graphErrorBody } from './graph-error';

/** Sends `body` as JSON with `status`. */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.sendRaw(status, JSON.stringify(body));
}

/** Sends the token service's plain `{error: {code, message}}` body (no Graph `innerError`). */
export function sendError(res: Response, status: number, code: string, message: string): void {
  sendJson(res, status, graphErrorBody(code, message));
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
