// Applies prisma/migrations at start-up without Prisma's schema engine, keeping Prisma's own
// `_prisma_migrations` ledger (same table, checksum = SHA-256 hex of migration.sql), so that
// `prisma migrate status` and `migrate deploy` agree with it wherever the engine exists.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SqlDatabase } from "./sql-database.js";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

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

interface LedgerRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
}

export function defaultMigrationsDir(): string {
  // This file runs from src/db in a checkout and from dist/src/db once built; the migrations
  // stay at the package root in both cases.
  const candidates = ["../../prisma/migrations", "../../../prisma/migrations"].map((p) =>
    path.resolve(import.meta.dirname, p),
  );
  return candidates.find((dir) => fs.existsSync(dir)) ?? candidates[0]!;
}

/** Migration folders in name order, as Prisma reads them. */
export function readMigrations(dir: string = defaultMigrationsDir()): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new MigrationError(`migrations folder not found: ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

/**
 * Brings the database up to date. Each migration runs in its own transaction together with its
 * ledger row, so a failure leaves neither. Re-running is a no-op; a migration edited after it
 * was applied, one that failed half-way under another tool, or one this build does not know
 * stops start-up with an error naming it.
 */
export function migrate(db: SqlDatabase, migrations: MigrationFile[] = readMigrations()): MigrationResult {
  db.exec(LEDGER_DDL);
  checkLedger(db, migrations);

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
        if (ledgerRow(db, migration.name)) return false;
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

function ledgerRow(db: SqlDatabase, name: string): LedgerRow | undefined {
  return db.get<LedgerRow>(
    `SELECT "migration_name", "checksum", "finished_at" FROM "_prisma_migrations"
     WHERE "migration_name" = ? AND "rolled_back_at" IS NULL`,
    [name],
  );
}

function checkLedger(db: SqlDatabase, migrations: MigrationFile[]): void {
  const known = new Map(migrations.map((m) => [m.name, m]));
  const rows = db.all<LedgerRow>(
    `SELECT "migration_name", "checksum", "finished_at" FROM "_prisma_migrations" WHERE "rolled_back_at" IS NULL`,
  );
  for (const row of rows) {
    const local = known.get(row.migration_name);
    if (row.finished_at === null) {
      throw new MigrationError(
        `migration ${row.migration_name} was started but never finished on this database; ` +
          `resolve it (prisma migrate resolve) before starting casebook`,
        row.migration_name,
      );
    }
    if (!local) {
      throw new MigrationError(
        `the database has migration ${row.migration_name}, which this version of casebook does not have; ` +
          `refusing to run older code against a newer schema`,
        row.migration_name,
      );
    }
    if (local.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.migration_name} was modified after it was applied ` +
          `(checksum ${row.checksum.slice(0, 12)}… in the database, ${local.checksum.slice(0, 12)}… on disk); ` +
          `restore the original file and add a new migration instead`,
        row.migration_name,
      );
    }
  }
}
