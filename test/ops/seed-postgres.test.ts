// `npm run seed` on a PostgreSQL DATABASE_URL: the same data set as on SQLite, through the same
// services, and a second run changes nothing.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_EVENTS } from "../../src/domain/lifecycle.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { startChild } from "../support/service-process.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function seed(): Promise<string> {
  const child = startChild("npm", ["run", "--silent", "seed"], { DATABASE_URL: database.url });
  const { code } = await child.exited;
  expect(child.stderr()).toBe("");
  expect(code).toBe(0);
  return child.stdout();
}

async function snapshot() {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const one = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
    const byStatus = async (table: string) =>
      Object.fromEntries(
        (
          await client.query<{ status: string; n: string }>(
            `SELECT "status", count(*) AS n FROM "${table}" GROUP BY "status" ORDER BY "status"`,
          )
        ).rows.map((r) => [r.status, Number(r.n)]),
      );
    return {
      missions: await byStatus("Mission"),
      jobs: await byStatus("Job"),
      cases: await byStatus("Case"),
      transitions: await one(`SELECT count(*) AS n FROM "Transition"`),
      events: (
        await client.query<{ event: string }>(`SELECT DISTINCT "event"::text AS "event" FROM "Transition" ORDER BY 1`)
      ).rows.map((r) => r.event),
      updates: await one(`SELECT count(*) AS n FROM "CaseUpdate"`),
      costMismatches: await one(
        `SELECT count(*) AS n FROM "Case" c
         WHERE c."totalCostMicros" <> (SELECT coalesce(sum(u."costMicros"), 0) FROM "CaseUpdate" u WHERE u."caseId" = c."id")`,
      ),
      versionMismatches: await one(
        `SELECT count(*) AS n FROM "Mission" m
         WHERE m."version" <> (SELECT count(*) FROM "Transition" t WHERE t."missionId" = m."id")`,
      ),
    };
  } finally {
    await client.end();
  }
}

describe("npm run seed on PostgreSQL", () => {
  it("migrates the empty database and loads the demo data set; a second run changes nothing", async () => {
    expect(await seed()).toMatch(/created 7 missions, \d+ jobs, \d+ cases/);
    const first = await snapshot();
    expect(Object.values(first.cases).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(200);
    expect([...first.events].sort()).toEqual([...ENTITY_EVENTS].sort());
    expect(first.costMismatches).toBe(0);
    expect(first.versionMismatches).toBe(0);

    expect(await seed()).toContain("created 0 missions, 0 jobs, 0 cases, 0 transitions, 0 case updates");
    expect(await snapshot()).toEqual(first);
  });
});
