import type { Request, Response, Server } from 'restify';
import { renderLegalPage } from './legal-page';
import { privacyPage, type RetentionRule } from './privacy-page';
import { termsPage } from './terms-page';

/** Serves /privacy and /terms, the pages the Teams app manifest links to (Teams admins open them). */
export function registerLegalRoutes(server: Server, retention: readonly RetentionRule[]): void {
  const pages: Record<string, string> = {
    '/privacy': renderLegalPage(privacyPage(retention)),
    '/terms': renderLegalPage(termsPage()),
  };
  for (const [path, html] of Object.entries(pages)) {
    server.get(path, async (_req: Request, res: Response) => {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(html),
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'public, max-age=3600',
      });
      res.end(html);
    });
  }
}
