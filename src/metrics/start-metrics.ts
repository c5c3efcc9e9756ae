import type { Server } from 'restify';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';
import { createAppMetrics, type AppMetrics } from './app-metrics';
import { startMetricsPipeline } from './metrics-provider';
import { registerMetricsRoute } from './metrics-route';
import { registerStoreGauges } from './store-gauges';

/** What metrics are built from. */
export interface MetricsDeps {
  readonly config: Config['metrics'];
  readonly db: StoreExecutor;
  readonly server: Server;
  readonly logger: Logger;
  readonly now: () => number;
}

/** The app's instruments, and how to flush and stop the pipeline. */
export interface RunningMetrics {
  readonly metrics: AppMetrics;
  stop(): Promise<void>;
}

/** Starts the pipeline, registers the store gauges and, when configured, `/metrics`. */
export function startMetrics(deps: MetricsDeps): RunningMetrics {
  const pipeline = startMetricsPipeline(deps.config, deps.logger);
  registerStoreGauges(pipeline.meter, { db: deps.db, now: deps.now, logger: deps.logger });
  if (pipeline.prometheus && deps.config.bearerToken) {
    registerMetricsRoute(deps.server, {
      exporter: pipeline.prometheus,
      bearerToken: deps.config.bearerToken,
    });
  }
  return { metrics: createAppMetrics(pipeline.meter), stop: () => pipeline.shutdown() };
}
