// Copies of prisma/migrations that a test may edit, and what Prisma's ledger holds.
import fs from "node:fs";
import path from "node:path";
import { defaultMigrationsDir, type MigrationsEngine } from "../../src/db/migrations.js";
import type { SqlDatabase } from "../../src/db/sqlite/sql-database.js";

export interface LedgerRow {
  id: string;
  checksum: string;
  finished_at: unknown;
  migration_name: string;
  logs: string | null;
  rolled_back_at: unknown;
  started_at: unknown;
  applied_steps_count: number;
}

export function copyMigrations(dir: string, engine: MigrationsEngine = "sqlite"): string {
  const copy = path.join(dir, "migrations");
  fs.cpSync(defaultMigrationsDir(engine), copy, { recursive: true });
  return copy;
}

export function addMigration(migrationsDir: string, name: string, sql: string): void {
  fs.mkdirSync(path.join(migrationsDir, name), { recursive: true });
  fs.writeFileSync(path.join(migrationsDir, name, "migration.sql"), sql);
}

export function ledger(db: SqlDatabase): LedgerRow[] {
  return db.all<LedgerRow>(`SELECT * FROM "_prisma_migrations" ORDER BY "migration_name"`);
}

export function tableNames(db: SqlDatabase): string[] {
  return db
    .all<{ name: string }>(
      // Tables of rows, not the search indexes (virtual) nor the tables they keep trigrams in (shadow).
      `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
    .map((r) => r.name);
}
