import { createHash, timingSafeEqual } from 'node:crypto';
import { PrometheusSerializer, type PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { Server } from 'restify';

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** What `/metrics` serves from, and the token a scraper must present. */
export interface MetricsRouteDeps {
  readonly exporter: PrometheusExporter;
  readonly bearerToken: string;
}

/** Serves `GET /metrics` in the Prometheus text format to callers with `Authorization: Bearer <token>`. */
export function registerMetricsRoute(server: Server, deps: MetricsRouteDeps): void {
  const serializer = new PrometheusSerializer(undefined, false, undefined, false, true);
  server.get('/metrics', async (req, res) => {
    if (!presentsToken(req.headers.authorization, deps.bearerToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.send(401);
      return;
    }
    const { resourceMetrics } = await deps.exporter.collect();
    res.setHeader('Cache-Control', 'no-store');
    res.sendRaw(200, serializer.serialize(resourceMetrics), {
      'Content-Type': PROMETHEUS_CONTENT_TYPE,
    });
  });
}

function presentsToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(match[1]), digest(token));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
