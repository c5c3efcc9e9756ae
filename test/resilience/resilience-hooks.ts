import { stopSharedPostgresServer } from '../helpers/postgres-server';
import { figuresTable, recordedFigures } from './resilience-figures';

/** Mocha root hooks of the resilience suites: print the figures table, stop PostgreSQL. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    await stopSharedPostgresServer();
    const rows = recordedFigures();
    if (rows.length === 0) return;
    process.stdout.write(`\nResilience figures\n${figuresTable(rows)}\n`);
  },
};
