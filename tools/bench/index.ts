import { availableParallelism, cpus } from 'node:os';
import { runAlertLatencyBench } from './alert-latency-bench';
import { runKeeperBench, type KeeperBenchOptions } from './keeper-bench';
import { keeperRows, plannerRows } from './keeper-figures';
import { runNotificationBench, type BenchRow } from './notification-bench';

function printTable(title: string, rows: BenchRow[]): void {
  const width = Math.max(...rows.map((row) => row.figure.length));
  const valueWidth = Math.max(...rows.map((row) => row.value.length));
  console.log(`\n${title}`);
  for (const row of rows) {
    console.log(
      `  ${row.figure.padEnd(width)}  ${row.value.padEnd(valueWidth)}  ${row.target ? `target ${row.target}` : ''}`,
    );
  }
}

/** `--keeper-scale=<x>` and `--clock-speed=<x>` override the keeper run (a loaded machine needs a slower clock). */
function keeperOverrides(base: KeeperBenchOptions, livenessOff: boolean): KeeperBenchOptions {
  const numberFlag = (name: string): number | undefined => {
    const value = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
    return value === undefined ? undefined : Number(value);
  };
  const scale = numberFlag('keeper-scale') ?? base.scale;
  return {
    ...base,
    scale,
    presenceChangesPerHour: Math.round((base.presenceChangesPerHour * scale) / base.scale),
    clockSpeed: numberFlag('clock-speed') ?? base.clockSpeed,
    ...(livenessOff ? { livenessCheckMs: 0 } : {}),
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const keeperOnly = process.argv.includes('--keeper-only');
  const alertsOnly = process.argv.includes('--alerts-only');
  const livenessOff = process.argv.includes('--liveness-off');
  console.log(
    `Presence Watch benchmarks — node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'})`,
  );
  if (!keeperOnly) {
    const seconds = quick ? 5 : 20;
    printTable(
      `Alert latency, notification sent → Teams connector POST (100 changes/s over 4 tenants for ${seconds} s)`,
      await runAlertLatencyBench({ changesPerSecond: 100, seconds, tenants: 4 }),
    );
  }
  if (alertsOnly) return;
  if (!keeperOnly) {
    const rows = await runNotificationBench({
      throughputNotifications: quick ? 2000 : 8000,
      sustainedSeconds: quick ? 5 : 30,
      sustainedPerSecond: 1000,
    });
    printTable(
      'Graph change-notification receiver (rich presence notifications, batches of 10, RSA-2048)',
      rows,
    );
  }
  const keeper: KeeperBenchOptions = quick
    ? {
        scale: 0.1,
        simulatedHours: 1,
        presenceChangesPerHour: 600,
        clockSpeed: 240,
        workerThreads: 1,
      }
    : {
        scale: 1,
        simulatedHours: 1,
        presenceChangesPerHour: 4000,
        clockSpeed: 60,
        workerThreads: 1,
      };
  const chosen = keeperOverrides(keeper, livenessOff);
  const figures = await runKeeperBench(chosen);
  printTable(
    `Subscription keeper against the tenant simulator (Zipf popularity, ${chosen.simulatedHours} simulated h at ${chosen.clockSpeed}x)`,
    keeperRows(figures),
  );
  printTable('Coverage planner alone (same watch graph)', plannerRows(figures));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
