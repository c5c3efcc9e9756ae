import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type SelectModifierNode,
  type SelectQueryNode,
  type SqliteDialectConfig,
} from 'kysely';

const ROW_LOCKS = new Set<SelectModifierNode['modifier']>([
  'ForUpdate',
  'ForNoKeyUpdate',
  'ForShare',
  'ForKeyShare',
  'NoWait',
  'SkipLocked',
]);

/**
 * SQLite as the store runs it. Every transaction begins `IMMEDIATE`, taking the database write lock
 * up front: writers are serialised across processes and never fail upgrading a read lock. That lock
 * covers more than any row lock, and SQLite has none, so the row-lock clauses that queries carry for
 * PostgreSQL (`FOR UPDATE`, `SKIP LOCKED`) are left out when they are compiled for SQLite.
 */
export class StoreSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver(this.settings);
  }

  override createQueryCompiler(): QueryCompiler {
    return new RowLockFreeCompiler();
  }
}

class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class RowLockFreeCompiler extends SqliteQueryCompiler {
  protected override visitSelectQuery(node: SelectQueryNode): void {
    const endModifiers = node.endModifiers?.filter((modifier) => !ROW_LOCKS.has(modifier.modifier));
    super.visitSelectQuery({ ...node, endModifiers });
  }
}
