// Applies prisma/postgresql/migrations at start-up without Prisma's schema engine, keeping Prisma's
// own `_prisma_migrations` ledger (the table its engine creates on PostgreSQL, checksum = SHA-256
// hex of migration.sql), so that `prisma migrate status` and `migrate deploy` agree with it.
import { randomUUID } from "node:crypto";
import type { ClientBase, Pool } from "pg";
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

// The key Prisma's schema engine locks before it migrates: taking the same one makes casebook
// and `prisma migrate deploy` wait for each other as well as several casebook processes.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// The DDL Prisma's schema engine uses for the ledger on PostgreSQL.
const LEDGER_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Brings the database up to date. The whole run holds Prisma's migration advisory lock, so
 * processes starting together apply each migration once and the others wait, then find it
 * applied. Each migration runs in one transaction with its ledger row, so a failure leaves
 * neither. Re-running is a no-op; a ledger that does not fit this build stops start-up
 * (checkLedger). Takes a pool (one connection is borrowed for the run) or a connected client.
 */
export async function migratePostgres(
  db: Pool | ClientBase,
  migrations: MigrationFile[] = readMigrations(defaultMigrationsDir("postgresql")),
): Promise<MigrationResult> {
  const borrowed = isPool(db) ? await db.connect() : undefined;
  const client = borrowed ?? (db as ClientBase);
  let failed = false;
  try {
    // Session-level lock: it spans the per-migration transactions below. It waits as long as
    // another migrator works, however long its migrations take.
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      return await migrateLocked(client, migrations);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // After a failure the connection may still hold the lock or an open transaction: the pool
    // closes it rather than hand it out again.
    borrowed?.release(failed);
  }
}

async function migrateLocked(client: ClientBase, migrations: MigrationFile[]): Promise<MigrationResult> {
  await ensureLedger(client);
  const entries = (await client.query<LedgerEntry>(SELECT_LEDGER)).rows;
  checkLedger(entries, migrations);

  // Nobody else migrates while the lock is held, so the ledger read above stays true.
  const applied = new Set(entries.map((e) => e.migration_name));
  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    if (applied.has(migration.name)) {
      result.alreadyApplied.push(migration.name);
    } else {
      await applyOne(client, migration);
      result.applied.push(migration.name);
    }
  }
  return result;
}

async function ensureLedger(client: ClientBase): Promise<void> {
  // Looked up first rather than CREATE TABLE IF NOT EXISTS, which demands the right to create
  // tables even when the table exists: a role limited to reading and writing rows can then start
  // on a database whose migrations were applied by another role.
  const found = await client.query<{ ledger: string | null }>(`SELECT to_regclass('_prisma_migrations') AS ledger`);
  if (found.rows[0]?.ledger == null) await client.query(LEDGER_DDL);
}

async function applyOne(client: ClientBase, migration: MigrationFile): Promise<void> {
  await client.query("BEGIN");
  try {
    try {
      // No parameters: node-postgres sends it as one simple query, which may hold many statements.
      await client.query(migration.sql);
    } catch (error) {
      throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`, migration.name);
    }
    // started_at is the transaction's start (now()), finished_at the moment the script ended.
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    // If even the rollback fails the connection is gone, which ends the transaction too; the
    // migration's own error is the one worth reporting.
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

function isPool(db: Pool | ClientBase): db is Pool {
  // Structural, not instanceof: the pool may come from another copy of the pg package.
  return typeof (db as Pool).totalCount === "number";
}
