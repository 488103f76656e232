// The service applies prisma/migrations itself and keeps Prisma's `_prisma_migrations` ledger,
// so that `prisma migrate status/deploy` agree with what it did.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultMigrationsDir, MigrationError, readMigrations } from "../../src/db/migrations.js";
import { openSqliteDatabase } from "../../src/db/open.js";
import { migrateSqlite } from "../../src/db/sqlite/migrator.js";
import { SqlDatabase } from "../../src/db/sqlite/sql-database.js";
import { tempDir } from "../support/database.js";
import { addMigration, copyMigrations, ledger, tableNames } from "../support/migrations.js";
import { runTogether, startWorker } from "../support/processes.js";
import { snapshotRows } from "../support/rows.js";

let dir: string;
let db: SqlDatabase;

beforeEach(() => {
  dir = tempDir();
  db = new SqlDatabase({ filename: path.join(dir, "entities.db") });
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The migration folders on disk, read independently of the migrator. */
function migrationsOnDisk(folder = defaultMigrationsDir("sqlite")) {
  return fs
    .readdirSync(folder)
    .filter((name) => fs.existsSync(path.join(folder, name, "migration.sql")))
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(folder, name, "migration.sql"));
      return { name, checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

function expectMigrationError(run: () => unknown, name: string, message: RegExp): MigrationError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MigrationError);
  const error = caught as MigrationError;
  expect(error.migration).toBe(name);
  expect(error.message).toContain(name);
  expect(error.message).toMatch(message);
  return error;
}

const foreignKeysOn = () => db.pragma<{ foreign_keys: number }[]>("foreign_keys")[0]?.foreign_keys;

describe("a fresh database", () => {
  it("gets every migration, each with a finished ledger row whose checksum is the file's SHA-256", async () => {
    const onDisk = migrationsOnDisk();
    expect(onDisk.length).toBeGreaterThan(0);

    const result = migrateSqlite(db);

    expect(result.applied).toEqual(onDisk.map((m) => m.name));
    expect(result.alreadyApplied).toEqual([]);
    const rows = ledger(db);
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(onDisk[i]!.checksum);
      expect(row.finished_at).not.toBeNull();
      expect(row.started_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(tableNames(db)).toEqual([
      "Case",
      "CaseUpdate",
      "Change",
      "ChangeFeed",
      "Job",
      "Mission",
      "Transition",
      "_prisma_migrations",
    ]);
    expect(foreignKeysOn()).toBe(1);
  });

  it("reads the migration folders in name order, skipping folders without migration.sql", async () => {
    const copy = copyMigrations(dir);
    addMigration(copy, "20990101000000_later", "CREATE TABLE later (id INTEGER);");
    addMigration(copy, "20000101000000_earlier", "CREATE TABLE earlier (id INTEGER);");
    fs.mkdirSync(path.join(copy, "20500101000000_no_sql"));
    expect(readMigrations(copy).map((m) => m.name)).toEqual(migrationsOnDisk(copy).map((m) => m.name));
    expect(readMigrations(copy).map((m) => m.name)).not.toContain("20500101000000_no_sql");
  });
});

describe("running again", () => {
  it("is a no-op: nothing applied, ledger and data unchanged", async () => {
    migrateSqlite(db);
    db.run(
      `INSERT INTO "Mission" ("id", "name", "metadata", "updatedAt") VALUES ('m1', 'kept', '{}', '2026-01-01T00:00:00.000+00:00')`,
    );
    const before = await snapshotRows(db);

    const again = migrateSqlite(db);

    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(migrationsOnDisk().map((m) => m.name));
    expect(await snapshotRows(db)).toEqual(before);
  });

  it("applies only the migrations that are new", async () => {
    const copy = copyMigrations(dir);
    migrateSqlite(db, readMigrations(copy));
    addMigration(copy, "20990101000000_add_note", `CREATE TABLE "Note" ("id" TEXT NOT NULL PRIMARY KEY);`);

    const result = migrateSqlite(db, readMigrations(copy));

    expect(result.applied).toEqual(["20990101000000_add_note"]);
    expect(ledger(db).map((r) => r.migration_name)).toEqual(migrationsOnDisk(copy).map((m) => m.name));
    expect(tableNames(db)).toContain("Note");
  });
});

describe("refusing to run", () => {
  it("when a migration was changed after it was applied", async () => {
    const copy = copyMigrations(dir);
    migrateSqlite(db, readMigrations(copy));
    const [first] = migrationsOnDisk(copy);
    fs.appendFileSync(path.join(copy, first!.name, "migration.sql"), "\n-- edited afterwards\n");
    const before = await snapshotRows(db);

    expectMigrationError(() => migrateSqlite(db, readMigrations(copy)), first!.name, /modified after it was applied/);
    expect(await snapshotRows(db)).toEqual(before);
  });

  it("when the database has a migration this build does not know", async () => {
    const copy = copyMigrations(dir);
    addMigration(copy, "20990101000000_from_the_future", `CREATE TABLE "Future" ("id" TEXT NOT NULL PRIMARY KEY);`);
    migrateSqlite(db, readMigrations(copy));

    expectMigrationError(() => migrateSqlite(db), "20990101000000_from_the_future", /does not have/);
  });

  it("when a migration was started but never finished", async () => {
    migrateSqlite(db);
    const [first] = migrationsOnDisk();
    db.run(`UPDATE "_prisma_migrations" SET "finished_at" = NULL WHERE "migration_name" = ?`, [first!.name]);

    expectMigrationError(() => migrateSqlite(db), first!.name, /never finished/);
  });
});

describe("a broken migration", () => {
  const BROKEN = "20990101000000_broken";

  it("throws naming it, and leaves neither a ledger row nor any part of its schema", async () => {
    const copy = copyMigrations(dir);
    addMigration(
      copy,
      BROKEN,
      `CREATE TABLE "Partial" ("id" TEXT NOT NULL PRIMARY KEY);\nCREATE INDEX "Partial_id_idx" ON "Partial"("id");\nCREATE TABLE "Oops" (;\n`,
    );

    expectMigrationError(() => migrateSqlite(db, readMigrations(copy)), BROKEN, /failed/);

    // The migrations before it are in, the broken one left nothing behind.
    expect(ledger(db).map((r) => r.migration_name)).toEqual(migrationsOnDisk().map((m) => m.name));
    expect(tableNames(db)).not.toContain("Partial");
    expect(db.all(`SELECT name FROM sqlite_master WHERE name LIKE 'Partial%'`)).toEqual([]);
    expect(foreignKeysOn()).toBe(1);

    // Once fixed, it applies.
    addMigration(copy, BROKEN, `CREATE TABLE "Partial" ("id" TEXT NOT NULL PRIMARY KEY);\n`);
    expect(migrateSqlite(db, readMigrations(copy)).applied).toEqual([BROKEN]);
    expect(tableNames(db)).toContain("Partial");
  });

  it("that leaves foreign key violations is rolled back", async () => {
    const copy = copyMigrations(dir);
    migrateSqlite(db, readMigrations(copy));
    addMigration(
      copy,
      BROKEN,
      `INSERT INTO "Job" ("id", "name", "metadata", "updatedAt", "agentName", "missionId") VALUES ('j1', 'j', '{}', '2026-01-01T00:00:00.000+00:00', 'a', 'no-such-mission');`,
    );
    const before = await snapshotRows(db);

    expectMigrationError(() => migrateSqlite(db, readMigrations(copy)), BROKEN, /foreign key/);
    expect(await snapshotRows(db)).toEqual(before);
    expect(foreignKeysOn()).toBe(1);
  });
});

describe("a migration that redefines a table, as Prisma writes them for SQLite", () => {
  it("keeps the rows of every table that references it: no cascade fires during the migration", async () => {
    const copy = copyMigrations(dir);
    migrateSqlite(db, readMigrations(copy));
    db.run(
      `INSERT INTO "Mission" ("id", "name", "metadata", "updatedAt") VALUES ('m1', 'm', '{}', '2026-01-01T00:00:00.000+00:00')`,
    );
    db.run(
      `INSERT INTO "Job" ("id", "name", "metadata", "updatedAt", "agentName", "missionId") VALUES ('j1', 'j', '{}', '2026-01-01T00:00:00.000+00:00', 'a', 'm1')`,
    );
    db.run(
      `INSERT INTO "Transition" ("entityType", "missionId", "event", "fromStatus", "toStatus", "version", "at")
       VALUES ('MISSION', 'm1', 'START_WORK', 'STOPPED', 'IN_PROGRESS', 1, '2026-01-01T00:00:00.000+00:00')`,
    );
    addMigration(
      copy,
      "20990101000000_mission_priority",
      `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Mission" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" TEXT NOT NULL DEFAULT 'STOPPED',
    "version" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "priority" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_Mission" ("id", "name", "description", "status", "version", "metadata", "createdAt", "updatedAt", "finishedAt")
SELECT "id", "name", "description", "status", "version", "metadata", "createdAt", "updatedAt", "finishedAt" FROM "Mission";
DROP TABLE "Mission";
ALTER TABLE "new_Mission" RENAME TO "Mission";
CREATE INDEX "Mission_status_createdAt_id_idx" ON "Mission"("status", "createdAt", "id");
CREATE INDEX "Mission_createdAt_id_idx" ON "Mission"("createdAt", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
    );

    expect(migrateSqlite(db, readMigrations(copy)).applied).toEqual(["20990101000000_mission_priority"]);

    expect(db.all(`SELECT "id", "priority" FROM "Mission"`)).toEqual([{ id: "m1", priority: 0 }]);
    expect(db.all(`SELECT "id", "missionId" FROM "Job"`)).toEqual([{ id: "j1", missionId: "m1" }]);
    expect(db.all(`SELECT "missionId" FROM "Transition"`)).toEqual([{ missionId: "m1" }]);
    expect(db.pragma("foreign_key_check")).toEqual([]);
    expect(foreignKeysOn()).toBe(1);
    // The foreign keys still point at the new table and still cascade.
    db.run(`DELETE FROM "Mission" WHERE "id" = 'm1'`);
    expect(db.all(`SELECT "id" FROM "Job"`)).toEqual([]);
  });
});

describe("openDatabase", () => {
  it("closes the connection and rethrows when a migration fails", async () => {
    const copy = copyMigrations(dir);
    addMigration(copy, "20990101000000_broken", "CREATE TABLE (;");
    let caught: unknown;
    try {
      openSqliteDatabase({ databasePath: path.join(dir, "other.db"), migrationsDir: copy });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MigrationError);
    expect((caught as MigrationError).migration).toBe("20990101000000_broken");
    // Nothing holds the file: it can be removed and opened afresh.
    fs.rmSync(path.join(dir, "other.db"));
    const { db: reopened, migrations } = openSqliteDatabase({ databasePath: path.join(dir, "other.db") });
    expect(migrations.applied).toEqual(migrationsOnDisk().map((m) => m.name));
    reopened.close();
  });
});

describe("migrating one new file from several places at once", () => {
  it("succeeds everywhere, each migration applied by exactly one process and recorded once", async () => {
    const file = path.join(dir, "shared.db");
    const workers = Array.from({ length: 4 }, () => startWorker("migrate-worker.ts", [file]));

    const results = await runTogether(workers);

    const names = migrationsOnDisk().map((m) => m.name);
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.messages.filter((m) => m.type === "error")).toEqual([]);
    }
    const reports = results.map(
      (r) =>
        r.messages.find((m) => m.type === "migrated") as { applied: string[]; alreadyApplied: string[] } | undefined,
    );
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
    const shared = new SqlDatabase({ filename: file });
    try {
      expect(ledger(shared).map((r) => r.migration_name)).toEqual(names);
    } finally {
      shared.close();
    }
  });

  it("works from two connections of one process", async () => {
    const other = new SqlDatabase({ filename: db.filename });
    try {
      const first = migrateSqlite(db);
      const second = migrateSqlite(other);
      expect(first.applied).toEqual(migrationsOnDisk().map((m) => m.name));
      expect(second.applied).toEqual([]);
      expect(ledger(other)).toEqual(ledger(db));
      expect(ledger(db)).toHaveLength(first.applied.length);
    } finally {
      other.close();
    }
  });
});
