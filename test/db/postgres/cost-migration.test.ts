// The migration to micro-unit costs on a PostgreSQL database holding rows in the old format:
// every cost and total converted (rounded to the millionth, damaged ones capped at the maximum),
// the snapshots kept for idempotent retries too, and the services carry on with the data.
import fs from "node:fs";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readMigrations } from "../../../src/db/migrations.js";
import { openDatabase } from "../../../src/db/open.js";
import { migratePostgres } from "../../../src/db/postgres/migrator.js";
import { PgDatabase } from "../../../src/db/postgres/pg-database.js";
import { createServices } from "../../../src/services/services.js";
import { tempDir } from "../../support/database.js";
import { copyMigrations } from "../../support/migrations.js";
import { COST_MIGRATION, OLD_CASES, OLD_COSTS_MIGRATED, OLD_SNAPSHOT, OLD_STEPS } from "../../support/old-cost-rows.js";
import { createTestDatabase, type TestDatabase } from "../../support/postgres.js";

let dir: string;
let database: TestDatabase;
beforeEach(async () => {
  dir = tempDir();
  database = await createTestDatabase();
});
afterEach(async () => {
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The database migrated up to, not including, the cost migration, holding the old rows. */
async function writeOldRows(): Promise<void> {
  const before = readMigrations(copyMigrations(dir, "postgresql")).filter((m) => m.name < COST_MIGRATION);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await migratePostgres(client, before);
    await client.query(
      `INSERT INTO "Job" ("id", "name", "agentName", "metadata", "updatedAt") VALUES ('j-old', 'job', 'a', '{}', now())`,
    );
    for (const c of OLD_CASES) {
      await client.query(
        `INSERT INTO "Case" ("id", "name", "status", "version", "metadata", "updatedAt", "jobId", "totalCost")
         VALUES ($1, 'case', 'IN_PROGRESS', 1, '{}', now(), 'j-old', $2)`,
        [c.id, c.totalCost],
      );
    }
    for (const s of OLD_STEPS) {
      await client.query(`INSERT INTO "CaseUpdate" ("caseId", "index", "cost", "at") VALUES ($1, $2, $3, now())`, [
        s.caseId,
        s.index,
        s.cost,
      ]);
    }
    await client.query(
      `INSERT INTO "Transition" ("entityType", "caseId", "event", "fromStatus", "toStatus", "version", "at", "idempotencyKey", "resultSnapshot")
       VALUES ('CASE', 'c-tenths', 'START_WORK', 'STOPPED', 'IN_PROGRESS', 1, now(), 'start-once', $1)`,
      [JSON.stringify(OLD_SNAPSHOT)],
    );
    const { rows } = await client.query(`SELECT "totalCost" FROM "Case" WHERE "id" = 'c-infinite'`);
    expect(rows[0].totalCost).toBe(Infinity);
  } finally {
    await client.end();
  }
}

describe(`migration ${COST_MIGRATION} on PostgreSQL`, () => {
  it("converts old costs, totals and snapshots to micro-units, and the services carry on with them", async () => {
    await writeOldRows();
    const { db } = await openDatabase({ database: { engine: "postgresql", url: database.url } });
    try {
      if (!(db instanceof PgDatabase)) throw new Error("a PostgreSQL database was expected");
      const pool = db.pool;
      const cases = await pool.query<{ id: string; micros: string }>(
        `SELECT "id", "totalCostMicros" AS micros FROM "Case"`,
      );
      expect(Object.fromEntries(cases.rows.map((c) => [c.id, Number(c.micros)]))).toEqual(OLD_COSTS_MIGRATED.cases);
      const steps = await pool.query<{ micros: string | null }>(
        `SELECT "costMicros" AS micros FROM "CaseUpdate" ORDER BY "caseId" DESC, "index"`,
      );
      expect(steps.rows.map((s) => (s.micros === null ? null : Number(s.micros)))).toEqual(OLD_COSTS_MIGRATED.steps);

      const services = createServices(db.store);
      const retried = await services.cases.handleEvent("c-tenths", "START_WORK", { idempotencyKey: "start-once" });
      expect(retried.totalCostMicros).toBe(OLD_COSTS_MIGRATED.snapshotTotalCostMicros);
      expect(retried).not.toHaveProperty("totalCost");

      expect((await services.cases.addUpdate("c-tenths", { cost: 0.7 })).totalCostMicros).toBe(1_000_000);
      expect((await services.cases.get("c-infinite"))?.totalCostMicros).toBe(1e15);
    } finally {
      await db.close();
    }
  });
});
