// Which migrations a database has and which it lacks, read without applying any: what
// `casebook migrate --status` shows. A SQLite file that does not exist yet is left uncreated.
import fs from "node:fs";
import type { DatabaseTarget } from "./database.js";
import { defaultMigrationsDir, type LedgerEntry, readMigrations, SELECT_LEDGER } from "./migrations.js";
import { PgDatabase } from "./postgres/pg-database.js";
import { SqlDatabase } from "./sqlite/sql-database.js";

export interface MigrationStatus {
  /** Applied, in name order. */
  applied: string[];
  /** Known to this casebook and not applied yet. */
  pending: string[];
  /** Applied to the database but unknown to this casebook (newer code ran there). */
  unknown: string[];
  /** Started and never finished (a failed run of another tool). */
  unfinished: string[];
  /** Applied, then changed on disk: the checksums differ. */
  modified: string[];
}

/** PostgreSQL's "relation does not exist": no ledger yet. */
const UNDEFINED_TABLE = "42P01";

export async function readMigrationStatus(target: DatabaseTarget): Promise<MigrationStatus> {
  const migrations = readMigrations(defaultMigrationsDir(target.engine));
  const known = migrations.map((m) => m.name);
  const entries = await readLedger(target);
  const checksums = new Map(migrations.map((m) => [m.name, m.checksum]));
  const finished = new Set(entries.filter((e) => e.finished_at !== null).map((e) => e.migration_name));
  return {
    applied: known.filter((name) => finished.has(name)),
    pending: known.filter((name) => !finished.has(name)),
    unknown: [...finished].filter((name) => !known.includes(name)).sort(),
    unfinished: entries.filter((e) => e.finished_at === null).map((e) => e.migration_name),
    modified: entries
      .filter((e) => e.finished_at !== null && checksums.has(e.migration_name))
      .filter((e) => checksums.get(e.migration_name) !== e.checksum)
      .map((e) => e.migration_name),
  };
}

async function readLedger(target: DatabaseTarget): Promise<LedgerEntry[]> {
  if (target.engine === "sqlite") {
    if (target.path !== ":memory:" && !fs.existsSync(target.path)) return [];
    const db = new SqlDatabase({ filename: target.path });
    try {
      const ledger = db.get(`SELECT 1 FROM sqlite_master WHERE "type" = 'table' AND "name" = '_prisma_migrations'`);
      return ledger ? db.all<LedgerEntry>(SELECT_LEDGER) : [];
    } finally {
      db.close();
    }
  }
  const db = new PgDatabase({ url: target.url, poolSize: 1 });
  try {
    return (await db.pool.query<LedgerEntry>(SELECT_LEDGER)).rows;
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return [];
    throw error;
  } finally {
    await db.close();
  }
}
