import { stopSharedPostgresServer } from './postgres-server';

/** Mocha root hooks: stop the throwaway PostgreSQL server once every test has run. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    await stopSharedPostgresServer();
  },
};
