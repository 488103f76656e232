// Opening casebook's database: connect with the right settings, then migrate before anything
// else touches it. DATABASE_URL (config.ts) picks the engine.
import type { Database, DatabaseTarget } from "./database.js";
import { defaultMigrationsDir, type MigrationResult, readMigrations } from "./migrations.js";
import { migratePostgres } from "./postgres/migrator.js";
import { PgDatabase, type PgDatabaseOptions } from "./postgres/pg-database.js";
import { migrateSqlite } from "./sqlite/migrator.js";
import { SqliteDatabase } from "./sqlite/sqlite-database.js";

export interface SqliteOpenOptions {
  databasePath: string;
  sqliteBusyTimeoutMs?: number;
  sqliteSynchronous?: "FULL" | "NORMAL";
  migrationsDir?: string;
}

export interface OpenOptions {
  database: DatabaseTarget;
  sqliteBusyTimeoutMs?: number;
  sqliteSynchronous?: "FULL" | "NORMAL";
  databasePoolSize?: number;
  databaseStatementTimeoutMs?: number;
  databaseConnectTimeoutMs?: number;
  /** An idle PostgreSQL connection failed; the pool replaces it. */
  onIdleError?: (error: Error) => void;
  /** Telling other processes of committed changes failed (PostgreSQL); they learn of them with the next. */
  onNotifyError?: (error: Error) => void;
  migrationsDir?: string;
}

export async function openDatabase(options: OpenOptions): Promise<{ db: Database; migrations: MigrationResult }> {
  if (options.database.engine === "sqlite")
    return openSqliteDatabase({ ...options, databasePath: options.database.path });
  return openPostgresDatabase({
    url: options.database.url,
    poolSize: options.databasePoolSize,
    statementTimeoutMs: options.databaseStatementTimeoutMs,
    connectTimeoutMs: options.databaseConnectTimeoutMs,
    onIdleError: options.onIdleError,
    onNotifyError: options.onNotifyError,
    migrationsDir: options.migrationsDir,
  });
}

export function openSqliteDatabase(options: SqliteOpenOptions): { db: SqliteDatabase; migrations: MigrationResult } {
  const db = new SqliteDatabase({
    filename: options.databasePath,
    busyTimeoutMs: options.sqliteBusyTimeoutMs,
    synchronous: options.sqliteSynchronous,
  });
  try {
    const migrations = migrateSqlite(db.sql, readMigrations(options.migrationsDir ?? defaultMigrationsDir("sqlite")));
    db.refreshSchema();
    return { db, migrations };
  } catch (error) {
    db.closeNow();
    throw error;
  }
}

async function openPostgresDatabase(
  options: PgDatabaseOptions & { migrationsDir?: string },
): Promise<{ db: PgDatabase; migrations: MigrationResult }> {
  const db = new PgDatabase(options);
  try {
    const migrations = await migratePostgres(
      db.pool,
      readMigrations(options.migrationsDir ?? defaultMigrationsDir("postgresql")),
    );
    return { db, migrations };
  } catch (error) {
    await db.close();
    throw error;
  }
}
