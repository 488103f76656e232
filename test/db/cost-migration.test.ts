// The migration to micro-unit costs on a SQLite database holding rows in the old format: every
// cost and total converted (rounded to the millionth, damaged ones capped at the maximum), the
// snapshots kept for idempotent retries too, and the services carry on with the data.
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readMigrations } from "../../src/db/migrations.js";
import { migrateSqlite } from "../../src/db/sqlite/migrator.js";
import { SqlDatabase } from "../../src/db/sqlite/sql-database.js";
import { openTempDatabase, tempDir } from "../support/database.js";
import { copyMigrations } from "../support/migrations.js";
import { COST_MIGRATION, OLD_CASES, OLD_COSTS_MIGRATED, OLD_SNAPSHOT, OLD_STEPS } from "../support/old-cost-rows.js";

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A database migrated up to, not including, the cost migration, holding the old rows. */
function databaseWithOldRows(): void {
  const before = readMigrations(copyMigrations(dir)).filter((m) => m.name < COST_MIGRATION);
  const db = new SqlDatabase({ filename: path.join(dir, "entities.db") });
  try {
    migrateSqlite(db, before);
    const at = "2026-01-01T00:00:00.000+00:00";
    db.run(
      `INSERT INTO "Job" ("id", "name", "agentName", "metadata", "updatedAt") VALUES ('j-old', 'job', 'a', '{}', ?)`,
      [at],
    );
    for (const c of OLD_CASES) {
      db.run(
        `INSERT INTO "Case" ("id", "name", "status", "version", "metadata", "createdAt", "updatedAt", "jobId", "totalCost")
         VALUES (?, 'case', 'IN_PROGRESS', 1, '{}', ?, ?, 'j-old', ?)`,
        [c.id, at, at, c.totalCost],
      );
    }
    for (const s of OLD_STEPS) {
      db.run(`INSERT INTO "CaseUpdate" ("caseId", "index", "cost", "at") VALUES (?, ?, ?, ?)`, [
        s.caseId,
        s.index,
        s.cost,
        at,
      ]);
    }
    db.run(
      `INSERT INTO "Transition" ("entityType", "caseId", "event", "fromStatus", "toStatus", "version", "at", "idempotencyKey", "resultSnapshot")
       VALUES ('CASE', 'c-tenths', 'START_WORK', 'STOPPED', 'IN_PROGRESS', 1, ?, 'start-once', ?)`,
      [at, JSON.stringify(OLD_SNAPSHOT)],
    );
    expect(db.get<{ t: number }>(`SELECT "totalCost" AS t FROM "Case" WHERE "id" = 'c-infinite'`)?.t).toBe(Infinity);
  } finally {
    db.close();
  }
}

describe(`migration ${COST_MIGRATION} on SQLite`, () => {
  it("converts old costs, totals and snapshots to micro-units, and the services carry on with them", async () => {
    databaseWithOldRows();
    const t = openTempDatabase(dir);
    try {
      const cases = t.db.all<{ id: string; totalCostMicros: number }>(`SELECT "id", "totalCostMicros" FROM "Case"`);
      expect(Object.fromEntries(cases.map((c) => [c.id, c.totalCostMicros]))).toEqual(OLD_COSTS_MIGRATED.cases);
      const steps = t.db.all<{ costMicros: number | null }>(
        `SELECT "costMicros" FROM "CaseUpdate" ORDER BY "caseId" DESC, "index"`,
      );
      expect(steps.map((s) => s.costMicros)).toEqual(OLD_COSTS_MIGRATED.steps);
      const columns = t.db.all<{ name: string }>(`SELECT name FROM pragma_table_info('Case')`).map((c) => c.name);
      expect(columns).not.toContain("totalCost");

      const retried = await t.services.cases.handleEvent("c-tenths", "START_WORK", { idempotencyKey: "start-once" });
      expect(retried.totalCostMicros).toBe(OLD_COSTS_MIGRATED.snapshotTotalCostMicros);
      expect(retried).not.toHaveProperty("totalCost");

      expect((await t.services.cases.addUpdate("c-tenths", { cost: 0.7 })).totalCostMicros).toBe(1_000_000);
      expect((await t.services.cases.get("c-infinite"))?.totalCostMicros).toBe(1e15);
    } finally {
      t.dispose();
    }
  });
});
