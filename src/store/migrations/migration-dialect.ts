import type { ColumnDataType, CreateTableBuilder } from 'kysely';
import type { StoreEngine } from '../database-schema';

/** The few column differences between the engines, for migrations to use. */
export interface MigrationDialect {
  readonly engine: StoreEngine;
  /** Epoch milliseconds: `bigint` on PostgreSQL, `integer` on SQLite. */
  readonly timestampType: ColumnDataType;
  /** The type of a column referencing an auto-numbered id: `bigint` on PostgreSQL, `integer` on SQLite. */
  readonly idReferenceType: ColumnDataType;
  /** Adds an auto-numbered primary key column (identity on PostgreSQL, autoincrement on SQLite). */
  addIdColumn<T extends string, C extends string>(
    table: CreateTableBuilder<T, C>,
    name: string,
  ): CreateTableBuilder<T, C>;
}

/** Builds the migration dialect of an engine. */
export function migrationDialect(engine: StoreEngine): MigrationDialect {
  return {
    engine,
    timestampType: engine === 'postgres' ? 'bigint' : 'integer',
    idReferenceType: engine === 'postgres' ? 'bigint' : 'integer',
    addIdColumn: (table, name) =>
      engine === 'postgres'
        ? table.addColumn(name, 'bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity())
        : table.addColumn(name, 'integer', (col) => col.primaryKey().autoIncrement()),
  };
}
