export type { AppMetrics } from './app-metrics';
export { startMetrics, type RunningMetrics } from './start-metrics';
