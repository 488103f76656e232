// Applies prisma/migrations to SQLite at start-up without Prisma's schema engine, keeping Prisma's
// own `_prisma_migrations` ledger (same table, checksum = SHA-256 hex of migration.sql), so that
// `prisma migrate status` and `migrate deploy` agree with it wherever the engine exists.
import { randomUUID } from "node:crypto";
import {
  checkLedger,
  defaultMigrationsDir,
  type LedgerEntry,
  MigrationError,
  type MigrationFile,
  type MigrationResult,
  readMigrations,
  SELECT_LEDGER,
} from "../migrations.js";
import type { SqlDatabase } from "./sql-database.js";

// The DDL Prisma's schema engine uses for the ledger on SQLite.
const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/**
 * Brings the database up to date. Each migration runs in its own transaction together with its
 * ledger row, so a failure leaves neither. Re-running is a no-op; a ledger that does not fit this
 * build stops start-up (checkLedger).
 */
export function migrateSqlite(
  db: SqlDatabase,
  migrations: MigrationFile[] = readMigrations(defaultMigrationsDir("sqlite")),
): MigrationResult {
  db.exec(LEDGER_DDL);
  checkLedger(db.all<LedgerEntry>(SELECT_LEDGER), migrations);

  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  // Foreign keys must be off while a migration runs: SQLite's DROP TABLE (used by Prisma to
  // redefine a table) would otherwise fire ON DELETE CASCADE on the rows that reference it.
  // The pragma has no effect inside a transaction, so it is switched around each one, and
  // foreign_key_check proves the result consistent before commit.
  db.pragma("foreign_keys = OFF");
  try {
    for (const migration of migrations) {
      const applied = db.transaction(() => {
        // Checked again inside the write lock: another process may have just applied it.
        if (isApplied(db, migration.name)) return false;
        applyOne(db, migration);
        return true;
      });
      (applied ? result.applied : result.alreadyApplied).push(migration.name);
    }
  } finally {
    db.pragma("foreign_keys = ON");
  }
  return result;
}

function applyOne(db: SqlDatabase, migration: MigrationFile): void {
  const id = randomUUID();
  const startedAt = Date.now();
  try {
    db.exec(migration.sql);
  } catch (error) {
    throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`, migration.name);
  }
  const violations = db.pragma<unknown[]>("foreign_key_check");
  if (violations.length > 0) {
    throw new MigrationError(
      `migration ${migration.name} leaves ${violations.length} foreign key violation(s)`,
      migration.name,
    );
  }
  db.run(
    `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
     VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
    [id, migration.checksum, Date.now(), migration.name, startedAt],
  );
}

function isApplied(db: SqlDatabase, name: string): boolean {
  return db.get(`${SELECT_LEDGER} AND "migration_name" = ?`, [name]) !== undefined;
}
