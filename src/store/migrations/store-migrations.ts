import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { StoreEngine } from '../database-schema';
import * as inboxAndKeys from './0001-inbox-and-keys';
import * as watchesAndSubscriptions from './0002-watches-and-subscriptions';
import * as channelAccounts from './0003-channel-accounts';
import * as conversationsAndAlerts from './0004-conversations-and-alerts';
import * as privacy from './0005-privacy';
import * as presenceSequence from './0006-presence-sequence';
import * as botState from './0007-bot-state';
import * as presenceChangeOrder from './0008-presence-change-order';
import * as watchBaseline from './0009-watch-baseline';
import * as msalTokenCache from './0010-msal-token-cache';
import * as watchTargetName from './0011-watch-target-name';
import { migrationDialect, type MigrationDialect } from './migration-dialect';

interface StoreMigration {
  up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void>;
  down?(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void>;
}

/** Every migration, by name; names sort in the order they run. Append new ones here. */
const MIGRATIONS: Readonly<Record<string, StoreMigration>> = {
  '0001-inbox-and-keys': inboxAndKeys,
  '0002-watches-and-subscriptions': watchesAndSubscriptions,
  '0003-channel-accounts': channelAccounts,
  '0004-conversations-and-alerts': conversationsAndAlerts,
  '0005-privacy': privacy,
  '0006-presence-sequence': presenceSequence,
  '0007-bot-state': botState,
  '0008-presence-change-order': presenceChangeOrder,
  '0009-watch-baseline': watchBaseline,
  '0010-msal-token-cache': msalTokenCache,
  '0011-watch-target-name': watchTargetName,
};

/** Kysely's migration provider for the store, with the engine's column dialect bound in. */
export function storeMigrationProvider(engine: StoreEngine): MigrationProvider {
  const dialect = migrationDialect(engine);
  return {
    getMigrations: async () =>
      Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, migration]) => [
          name,
          bindDialect(migration, dialect),
        ]),
      ),
  };
}

function bindDialect(migration: StoreMigration, dialect: MigrationDialect): Migration {
  const { up, down } = migration;
  return {
    up: (db) => up(db, dialect),
    down: down ? (db) => down(db, dialect) : undefined,
  };
}
