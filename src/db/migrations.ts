// What both migrators share: the migration folders in Prisma's format, and the rules that decide
// whether a database's `_prisma_migrations` ledger fits this build. Applying them is engine
// specific (sqlite/migrator.ts, postgres/migrator.ts).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type MigrationsEngine = "sqlite" | "postgresql";

export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 hex of migration.sql, as Prisma writes it to the ledger. */
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

/** A ledger row that has not been rolled back, as both engines read it. */
export interface LedgerEntry {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
}

/** Prisma's engine ignores rolled-back rows: the migration counts as not applied. */
export const SELECT_LEDGER = `SELECT "migration_name", "checksum", "finished_at" FROM "_prisma_migrations" WHERE "rolled_back_at" IS NULL`;

// Each engine keeps its own folder: Prisma pins one provider per migrations folder
// (migration_lock.toml), and the SQL dialects differ.
const FOLDER: Record<MigrationsEngine, string> = {
  sqlite: "prisma/migrations",
  postgresql: "prisma/postgresql/migrations",
};

export function defaultMigrationsDir(engine: MigrationsEngine): string {
  // This file runs from src/db in a checkout and from dist/src/db once built; the migrations
  // stay at the package root in both cases.
  const candidates = ["../..", "../../.."].map((root) => path.resolve(import.meta.dirname, root, FOLDER[engine]));
  return candidates.find((dir) => fs.existsSync(dir)) ?? candidates[0]!;
}

/** Migration folders in name order, as Prisma reads them. */
export function readMigrations(dir: string): MigrationFile[] {
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
 * Refuses a database whose ledger does not fit this build: a migration that failed half-way under
 * another tool, one this build does not know (newer code ran here), or one edited after it was
 * applied. Each stops start-up with an error naming the migration.
 */
export function checkLedger(entries: readonly LedgerEntry[], migrations: readonly MigrationFile[]): void {
  const known = new Map(migrations.map((m) => [m.name, m]));
  for (const entry of entries) {
    const local = known.get(entry.migration_name);
    if (entry.finished_at === null) {
      throw new MigrationError(
        `migration ${entry.migration_name} was started but never finished on this database; ` +
          `resolve it (prisma migrate resolve) before starting casebook`,
        entry.migration_name,
      );
    }
    if (!local) {
      throw new MigrationError(
        `the database has migration ${entry.migration_name}, which this version of casebook does not have; ` +
          `refusing to run older code against a newer schema`,
        entry.migration_name,
      );
    }
    if (local.checksum !== entry.checksum) {
      throw new MigrationError(
        `migration ${entry.migration_name} was modified after it was applied ` +
          `(checksum ${entry.checksum.slice(0, 12)}… in the database, ${local.checksum.slice(0, 12)}… on disk); ` +
          `restore the original file and add a new migration instead`,
        entry.migration_name,
      );
    }
  }
}
