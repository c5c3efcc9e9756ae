export type { AppMetrics, NotificationVerdict } from './app-metrics';
export { startMetrics, type MetricsDeps, type RunningMetrics } from './start-metrics';
