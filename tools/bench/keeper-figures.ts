import type { BenchRow } from './notification-bench';

/** What the keeper bench measured. */
export interface KeeperBenchFigures {
  readonly scale: number;
  readonly watchers: number;
  readonly peopleWatched: number;
  readonly conversations: number;
  readonly watches: number;
  readonly directoryPeople: number;
  readonly convergeRealMs: number;
  readonly plannedSubscriptions: number;
  readonly subscriptionsAlive: number;
  readonly simulatedHours: number;
  /** The keeper's liveness interval during the run (0: off). */
  readonly livenessCheckMs: number;
  /** Graph calls during the simulated hours, per route, normalised to one simulated hour. */
  readonly graphCallsPerHour: Readonly<Record<string, number>>;
  readonly presenceChanges: number;
  readonly presenceNotifications: number;
  /** Changes the keeper emitted (outbox rows) during the simulated hours. */
  readonly changesEmitted: number;
  readonly lostNotifications: number;
  /** Subscriptions that expired during the simulated hours (the keeper fell behind). */
  readonly lapses: number;
  readonly renewalCycle: {
    readonly renewed: number;
    readonly cpuMs: number;
    readonly realMs: number;
  };
  readonly startupResyncCalls: number;
  readonly expectedResyncCalls: number;
  readonly peakRssBytes: number;
  readonly planner: {
    readonly planMs: number;
    readonly subscriptions: number;
    readonly maxIds: number;
  };
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function row(figure: string, value: string, target = ''): BenchRow {
  return { figure, value, target };
}

function livenessText(ms: number): string {
  return ms > 0 ? `every ${Math.round(ms / 60_000)} min` : 'off';
}

/** The keeper table: one row per figure of issue 4's benchmark. */
export function keeperRows(f: KeeperBenchFigures): BenchRow[] {
  const routes = Object.entries(f.graphCallsPerHour).sort(([a], [b]) => (a < b ? -1 : 1));
  const totalCalls = routes.reduce((sum, [, n]) => sum + n, 0);
  const perChange = f.presenceChanges === 0 ? 0 : f.presenceNotifications / f.presenceChanges;
  const emittedPerChange = f.presenceChanges === 0 ? 0 : f.changesEmitted / f.presenceChanges;
  const cycle = f.renewalCycle;
  return [
    row(
      'organisation (scale factor)',
      `${int(f.watchers)} watchers, ${int(f.peopleWatched)} people watched, ${int(f.conversations)} conversations, ` +
        `${int(f.watches)} watches, ${int(f.directoryPeople)} people in the directory (×${f.scale})`,
    ),
    row(
      'subscriptions alive (after converging)',
      `${int(f.subscriptionsAlive)} of ${int(f.plannedSubscriptions)} planned, converged in ${(f.convergeRealMs / 1000).toFixed(1)} s real`,
    ),
    row('subscriptions lapsed (expired) during the simulated hours', int(f.lapses), '0'),
    row(`Graph calls per simulated hour (over ${f.simulatedHours} h)`, `${int(totalCalls)} total`),
    ...routes.map(([route, n]) => row(`  ${route.replace('/v1.0', '')}`, int(n))),
    row(
      'Graph calls per subscription-hour',
      `${(totalCalls / Math.max(f.subscriptionsAlive, 1)).toFixed(2)} (liveness check ${livenessText(f.livenessCheckMs)})`,
    ),
    row(
      'notifications received per presence change',
      `${perChange.toFixed(2)} = ${int(f.presenceNotifications)} delivered ÷ ${int(f.presenceChanges)} changes of watched people (lost ${int(f.lostNotifications)})`,
      '≤ 2',
    ),
    row(
      'changes emitted per presence change',
      `${emittedPerChange.toFixed(2)} = ${int(f.changesEmitted)} ÷ ${int(f.presenceChanges)}`,
      '1',
    ),
    row(
      'CPU per renewal cycle (process: keeper + in-process simulator + receiver)',
      `${cycle.cpuMs.toFixed(0)} ms for ${int(cycle.renewed)} renewals (${(cycle.cpuMs / Math.max(cycle.renewed, 1)).toFixed(2)} ms each, ${(cycle.realMs / 1000).toFixed(1)} s real)`,
    ),
    row(
      'resync calls at start-up',
      `${int(f.startupResyncCalls)} (ceil(${int(f.peopleWatched)} / 650) = ${f.expectedResyncCalls})`,
      `= ${f.expectedResyncCalls}`,
    ),
    row('peak RSS (whole bench process)', `${(f.peakRssBytes / 2 ** 20).toFixed(0)} MiB`),
  ];
}

/** The planner table: planCoverage alone on the same watch graph. */
export function plannerRows(f: KeeperBenchFigures): BenchRow[] {
  return [
    row('plan time (no current coverage, median of 3)', `${f.planner.planMs.toFixed(1)} ms`),
    row('subscriptions needed', int(f.planner.subscriptions)),
    row('largest subscription', `${int(f.planner.maxIds)} ids`, '≤ 650'),
  ];
}
