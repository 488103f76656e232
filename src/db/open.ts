// Opening casebook's database: connect with the right settings, then migrate before anything
// else touches it.
import { defaultMigrationsDir, type MigrationResult, readMigrations } from "./migrations.js";
import { migrateSqlite } from "./sqlite/migrator.js";
import { SqliteDatabase } from "./sqlite-database.js";

export interface OpenOptions {
  databasePath: string;
  sqliteBusyTimeoutMs?: number;
  sqliteSynchronous?: "FULL" | "NORMAL";
  migrationsDir?: string;
}

export function openDatabase(options: OpenOptions): { db: SqliteDatabase; migrations: MigrationResult } {
  const db = new SqliteDatabase({
    filename: options.databasePath,
    busyTimeoutMs: options.sqliteBusyTimeoutMs,
    synchronous: options.sqliteSynchronous,
  });
  try {
    const migrations = migrateSqlite(db.sql, readMigrations(options.migrationsDir ?? defaultMigrationsDir("sqlite")));
    return { db, migrations };
  } catch (error) {
    db.closeNow();
    throw error;
  }
}
