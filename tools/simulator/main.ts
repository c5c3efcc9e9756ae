import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createLogger, isTerminal } from '../../src/logging/logger';
import { startSimulator, type RunningSimulator } from './simulator-server';

const USAGE = `Usage: npm run sim -- [--port 5100] [--entra-port 5101] [--ca-file ca.pem] [--host 127.0.0.1] [--seed org.json] [--scenario file.yaml] [--clock-speed 1] [--demo] [--manual] [--sequence-numbers]\n`;

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number`);
  return parsed;
}

/** Stops the simulator on SIGINT or SIGTERM, then exits 0 (1 if stopping fails). */
function stopOnSignals(simulator: RunningSimulator): void {
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    simulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** Starts the tenant simulator from the command line and prints its URLs. */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '5100' },
      'entra-port': { type: 'string', default: '5101' },
      'ca-file': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      scenario: { type: 'string' },
      'clock-speed': { type: 'string' },
      demo: { type: 'boolean', default: false },
      manual: { type: 'boolean', default: false },
      'sequence-numbers': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const simulator = await startSimulator({
    port: numberOption(values.port, 'port'),
    entraPort: numberOption(values['entra-port'], 'entra-port'),
    host: values.host,
    seedFile: values.seed,
    scenarioFile: values.scenario,
    clockSpeed: numberOption(values['clock-speed'], 'clock-speed'),
    demo: values.demo,
    presenceEngine: values.manual ? 'manual' : 'schedule',
    notificationSequenceNumbers: values['sequence-numbers'],
    logger: createLogger({ level: 'info', format: 'pretty', colorize: isTerminal(process.stdout) }),
  });
  if (values['ca-file']) await writeFile(values['ca-file'], simulator.entra.caCertificatePem);
  process.stdout.write(
    [
      `Tenant simulator running (tenant ${simulator.tenantId})`,
      `  Graph:      ${simulator.graphBaseUrl}   (GRAPH_BASE_URL)`,
      `  JWKS:       ${simulator.jwksUrl}   (GRAPH_JWKS_URL)`,
      `  Token API:  ${simulator.url}   (Bot Framework OAuthUrl)`,
      `  Sign-in:    ${simulator.url}/signin`,
      `  Entra:      ${simulator.entra.authorityUrl}   (MSAL authority, TLS: trust ${values['ca-file'] ?? `${simulator.url}/_sim/identity/ca.pem`})`,
      `  Admin:      ${simulator.url}/_sim/info`,
      '',
    ].join('\n'),
  );
  stopOnSignals(simulator);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(1);
});
