import { availableParallelism, cpus } from 'node:os';
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

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  console.log(
    `Presence Watch benchmarks — node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'})`,
  );
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

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
