// On PostgreSQL the service applies prisma/postgresql/migrations itself and keeps Prisma's
// `_prisma_migrations` ledger, so that `prisma migrate status/deploy` agree with what it did; it
// takes Prisma's migration lock, so several processes (and Prisma) never migrate at once.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  defaultMigrationsDir,
  MigrationError,
  type MigrationResult,
  readMigrations,
} from "../../../src/db/migrations.js";
import { migratePostgres } from "../../../src/db/postgres/migrator.js";
import { tempDir } from "../../support/database.js";
import { addMigration, copyMigrations } from "../../support/migrations.js";
import { createTestDatabase, type TestDatabase } from "../../support/postgres.js";
import { runTogether, startWorker } from "../../support/processes.js";

const PRISMA_MIGRATE_LOCK_KEY = 72707369;

interface LedgerRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

let dir: string;
let database: TestDatabase;
let pool: pg.Pool;

beforeEach(async () => {
  dir = tempDir();
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
});
afterEach(async () => {
  await pool.end();
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The migration folders on disk, read independently of the migrator. */
function migrationsOnDisk(folder = defaultMigrationsDir("postgresql")) {
  return fs
    .readdirSync(folder)
    .filter((name) => fs.existsSync(path.join(folder, name, "migration.sql")))
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(folder, name, "migration.sql"));
      return { name, checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

const copyPostgresMigrations = () => copyMigrations(dir, "postgresql");
const migrationsIn = (folder: string) => readMigrations(folder);

async function ledger(): Promise<LedgerRow[]> {
  return (await pool.query<LedgerRow>(`SELECT * FROM _prisma_migrations ORDER BY migration_name`)).rows;
}

async function tableNames(): Promise<string[]> {
  const result = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
  );
  return result.rows.map((r) => r.table_name);
}

/** Everything a refused or failed run must leave as it was: the tables, the ledger, the rows. */
async function snapshot() {
  return {
    tables: await tableNames(),
    ledger: await ledger(),
    missions: (await pool.query(`SELECT * FROM "Mission" ORDER BY "id"`)).rows,
  };
}

async function advisoryLocksHeld(): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return Number(result.rows[0]!.count);
}

async function expectMigrationError(run: Promise<unknown>, name: string, message: RegExp): Promise<void> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationError);
  expect((error as MigrationError).migration).toBe(name);
  expect((error as MigrationError).message).toContain(name);
  expect((error as MigrationError).message).toMatch(message);
}

async function insertMission(id: string): Promise<void> {
  await pool.query(`INSERT INTO "Mission" ("id", "name", "metadata", "updatedAt") VALUES ($1, 'kept', '{}', now())`, [
    id,
  ]);
}

describe("a fresh PostgreSQL database", () => {
  it("gets every migration, each with a finished ledger row as Prisma writes it", async () => {
    const onDisk = migrationsOnDisk();
    expect(onDisk.length).toBeGreaterThan(0);

    const result = await migratePostgres(pool);

    expect(result).toEqual({ applied: onDisk.map((m) => m.name), alreadyApplied: [] });
    const rows = await ledger();
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(onDisk[i]!.checksum);
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await tableNames()).toEqual([
      "Case",
      "CaseUpdate",
      "Case_short_search",
      "Change",
      "ChangeFeed",
      "Job",
      "Job_short_search",
      "Mission",
      "Mission_short_search",
      "Transition",
      "_prisma_migrations",
    ]);
    expect(await advisoryLocksHeld()).toBe(0);
  });

  it("keeps the ledger in the very table Prisma's schema engine creates on PostgreSQL", async () => {
    await migratePostgres(pool);
    const columns = await pool.query(
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '_prisma_migrations'
       ORDER BY ordinal_position`,
    );
    expect(columns.rows).toEqual([
      { column_name: "id", data_type: "character varying", length: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", length: 64, is_nullable: "NO", column_default: null },
      {
        column_name: "finished_at",
        data_type: "timestamp with time zone",
        length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "migration_name",
        data_type: "character varying",
        length: 255,
        is_nullable: "NO",
        column_default: null,
      },
      { column_name: "logs", data_type: "text", length: null, is_nullable: "YES", column_default: null },
      {
        column_name: "rolled_back_at",
        data_type: "timestamp with time zone",
        length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "started_at",
        data_type: "timestamp with time zone",
        length: null,
        is_nullable: "NO",
        column_default: "now()",
      },
      {
        column_name: "applied_steps_count",
        data_type: "integer",
        length: null,
        is_nullable: "NO",
        column_default: "0",
      },
    ]);
    const primaryKey = await pool.query(
      `SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype <> 'n'`,
    );
    expect(primaryKey.rows).toEqual([{ conname: "_prisma_migrations_pkey", definition: "PRIMARY KEY (id)" }]);
  });

  it("takes a connected client as well as a pool", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      expect((await migratePostgres(client)).applied).toEqual(migrationsOnDisk().map((m) => m.name));
      // The client is left connected and usable, without the lock.
      expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
    expect(await advisoryLocksHeld()).toBe(0);
  });
});

describe("running again", () => {
  it("is a no-op: nothing applied, ledger and data unchanged", async () => {
    await migratePostgres(pool);
    await insertMission("m1");
    const before = await snapshot();

    const again = await migratePostgres(pool);

    expect(again).toEqual({ applied: [], alreadyApplied: migrationsOnDisk().map((m) => m.name) });
    expect(await snapshot()).toEqual(before);
  });

  it("applies only the migrations that are new", async () => {
    const copy = copyPostgresMigrations();
    await migratePostgres(pool, migrationsIn(copy));
    addMigration(copy, "20990101000000_add_note", `CREATE TABLE "Note" ("id" TEXT NOT NULL PRIMARY KEY);`);

    const result = await migratePostgres(pool, migrationsIn(copy));

    expect(result.applied).toEqual(["20990101000000_add_note"]);
    expect((await ledger()).map((r) => r.migration_name)).toEqual(migrationsOnDisk(copy).map((m) => m.name));
    expect(await tableNames()).toContain("Note");
  });
});

describe("refusing to run, changing nothing", () => {
  it("when a migration was changed after it was applied", async () => {
    const copy = copyPostgresMigrations();
    await migratePostgres(pool, migrationsIn(copy));
    const [first] = migrationsOnDisk(copy);
    fs.appendFileSync(path.join(copy, first!.name, "migration.sql"), "\n-- edited afterwards\n");
    const before = await snapshot();

    await expectMigrationError(migratePostgres(pool, migrationsIn(copy)), first!.name, /modified after it was applied/);
    expect(await snapshot()).toEqual(before);
    expect(await advisoryLocksHeld()).toBe(0);
  });

  it("when the database has a migration this build does not know", async () => {
    const copy = copyPostgresMigrations();
    addMigration(copy, "20990101000000_from_the_future", `CREATE TABLE "Future" ("id" TEXT NOT NULL PRIMARY KEY);`);
    await migratePostgres(pool, migrationsIn(copy));
    const before = await snapshot();

    await expectMigrationError(migratePostgres(pool), "20990101000000_from_the_future", /does not have/);
    expect(await snapshot()).toEqual(before);
  });

  it("when a migration was started but never finished", async () => {
    await migratePostgres(pool);
    const [first] = migrationsOnDisk();
    await pool.query(`UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = $1`, [first!.name]);
    const before = await snapshot();

    await expectMigrationError(migratePostgres(pool), first!.name, /never finished/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("a broken migration", () => {
  const BROKEN = "20990101000000_broken";

  it("throws naming it, and leaves neither a ledger row nor any part of its schema, nor the lock", async () => {
    const copy = copyPostgresMigrations();
    addMigration(
      copy,
      BROKEN,
      `CREATE TABLE "Partial" ("id" TEXT NOT NULL PRIMARY KEY);\nCREATE INDEX "Partial_id_idx" ON "Partial"("id");\nCREATE TABLE "Oops" (;\n`,
    );

    await expectMigrationError(migratePostgres(pool, migrationsIn(copy)), BROKEN, /failed: syntax error/);

    // The migrations before it are in, the broken one left nothing behind.
    expect((await ledger()).map((r) => r.migration_name)).toEqual(migrationsOnDisk().map((m) => m.name));
    expect(await tableNames()).not.toContain("Partial");
    expect((await pool.query(`SELECT to_regclass('"Partial_id_idx"') AS index`)).rows).toEqual([{ index: null }]);
    expect(await advisoryLocksHeld()).toBe(0);

    // Once fixed, it applies.
    addMigration(copy, BROKEN, `CREATE TABLE "Partial" ("id" TEXT NOT NULL PRIMARY KEY);\n`);
    expect((await migratePostgres(pool, migrationsIn(copy))).applied).toEqual([BROKEN]);
    expect(await tableNames()).toContain("Partial");
  });

  it("that breaks a foreign key is rolled back whole", async () => {
    const copy = copyPostgresMigrations();
    await migratePostgres(pool, migrationsIn(copy));
    await insertMission("m1");
    addMigration(
      copy,
      BROKEN,
      `DELETE FROM "Mission";\nINSERT INTO "Job" ("id", "name", "metadata", "updatedAt", "agentName", "missionId") VALUES ('j1', 'j', '{}', now(), 'a', 'no-such-mission');`,
    );
    const before = await snapshot();

    await expectMigrationError(migratePostgres(pool, migrationsIn(copy)), BROKEN, /foreign key/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("Prisma's migration lock", () => {
  it("is waited for: a migrator does nothing while another holder (such as prisma migrate deploy) has it", async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
      let finished = false;
      const run = migratePostgres(pool).finally(() => {
        finished = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(finished).toBe(false);
      expect(await tableNames()).toEqual([]);

      await holder.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
      expect((await run).applied).toEqual(migrationsOnDisk().map((m) => m.name));
    } finally {
      await holder.end();
    }
  });
});

describe("migrating one new database from several processes at once", () => {
  it("succeeds in all three, each migration applied by exactly one of them and recorded once", async () => {
    // More than one migration, so that "exactly once" is tested for each step of a longer run.
    const copy = copyPostgresMigrations();
    addMigration(copy, "20990101000000_add_note", `CREATE TABLE "Note" ("id" TEXT NOT NULL PRIMARY KEY);`);
    addMigration(copy, "20990102000000_add_tag", `CREATE TABLE "Tag" ("id" SERIAL PRIMARY KEY);`);
    const names = migrationsOnDisk(copy).map((m) => m.name);
    const workers = Array.from({ length: 3 }, () => startWorker("postgres-migrate-worker.ts", [database.url, copy]));

    const results = await runTogether(workers);

    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.messages.filter((m) => m.type === "error")).toEqual([]);
    }
    const reports = results.map((r) => r.messages.find((m) => m.type === "migrated") as MigrationResult | undefined);
    expect(reports.every((r) => r !== undefined)).toBe(true);
    for (const name of names) {
      expect(
        reports.filter((r) => r!.applied.includes(name)),
        name,
      ).toHaveLength(1);
      expect(
        reports.filter((r) => r!.alreadyApplied.includes(name)),
        name,
      ).toHaveLength(workers.length - 1);
    }
    expect((await ledger()).map((r) => r.migration_name)).toEqual(names);
    expect(await advisoryLocksHeld()).toBe(0);
  });
});
