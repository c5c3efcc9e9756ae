import { createNoopMeter, type Meter, metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';

const METER_NAME = 'presence-watch';
const RESOURCE = resourceFromAttributes({ 'service.name': 'presence-watch' });

/** The running metrics pipeline: the meter instruments are made on, and the scrape source. */
export interface MetricsPipeline {
  readonly meter: Meter;
  /** Collects for `/metrics`; undefined when the endpoint is off. */
  readonly prometheus: PrometheusExporter | undefined;
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry metrics: a Prometheus reader when `/metrics` is on, and Azure Monitor
 * (metrics and traces to Application Insights) when a connection string is set; a no-op meter when
 * neither is.
 */
export function startMetricsPipeline(config: Config['metrics'], logger: Logger): MetricsPipeline {
  const log = logger.child({ module: 'metrics' });
  const prometheus = config.bearerToken
    ? new PrometheusExporter({ preventServerStart: true })
    : undefined;
  if (config.applicationInsightsConnectionString) {
    useAzureMonitor({
      azureMonitorExporterOptions: { connectionString: config.applicationInsightsConnectionString },
      metricReaders: prometheus ? [prometheus] : [],
      resource: RESOURCE,
    });
    log.info({ prometheus: prometheus !== undefined }, 'metrics go to Application Insights');
    return {
      meter: metrics.getMeter(METER_NAME),
      prometheus,
      shutdown: () => shutdownAzureMonitor(),
    };
  }
  if (prometheus) {
    const provider = new MeterProvider({ readers: [prometheus], resource: RESOURCE });
    log.info('metrics served on /metrics (bearer token required)');
    return {
      meter: provider.getMeter(METER_NAME),
      prometheus,
      shutdown: () => provider.shutdown(),
    };
  }
  return { meter: createNoopMeter(), prometheus: undefined, shutdown: async () => {} };
}
