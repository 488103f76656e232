// `npm run seed`: a realistic data set through the services, the same on every run.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../src/db/open.js";
import { ENTITY_EVENTS, ENTITY_STATUSES } from "../../src/domain/lifecycle.js";
import { tempDir } from "../support/database.js";
import { startChild } from "../support/service-process.js";

const dir = tempDir("casebook-seed-");
const file = path.join(dir, "entities.db");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function seed(): Promise<string> {
  const child = startChild("npm", ["run", "--silent", "seed"], { DATABASE_URL: `file:${file}` });
  const { code } = await child.exited;
  expect(child.stderr()).toBe("");
  expect(code).toBe(0);
  return child.stdout();
}

function snapshot() {
  const { db: database } = openSqliteDatabase({ databasePath: file });
  const db = database.sql;
  try {
    const byStatus = (table: string) =>
      Object.fromEntries(
        db
          .all<{ status: string; n: number }>(`SELECT status, count(*) AS n FROM "${table}" GROUP BY status`)
          .map((r) => [r.status, r.n]),
      );
    return {
      missions: byStatus("Mission"),
      jobs: byStatus("Job"),
      cases: byStatus("Case"),
      transitions: db.get<{ n: number }>(`SELECT count(*) AS n FROM "Transition"`)!.n,
      events: db.all<{ event: string }>(`SELECT DISTINCT event FROM "Transition" ORDER BY event`).map((r) => r.event),
      updates: db.get<{ n: number }>(`SELECT count(*) AS n FROM "CaseUpdate"`)!.n,
      jobsWithoutMission: db.get<{ n: number }>(`SELECT count(*) AS n FROM "Job" WHERE "missionId" IS NULL`)!.n,
      costMismatches: db.get<{ n: number }>(
        `SELECT count(*) AS n FROM "Case" c
         WHERE c."totalCostMicros" <> (SELECT coalesce(sum(u."costMicros"), 0) FROM "CaseUpdate" u WHERE u."caseId" = c."id")`,
      )!.n,
      finishedMismatches: db.get<{ n: number }>(
        `SELECT count(*) AS n FROM "Case"
         WHERE ("finishedAt" IS NOT NULL) <> ("status" IN ('COMPLETED', 'FAILED', 'CANCELLED'))`,
      )!.n,
      versionMismatches: db.get<{ n: number }>(
        `SELECT count(*) AS n FROM "Mission" m
         WHERE m."version" <> (SELECT count(*) FROM "Transition" t WHERE t."missionId" = m."id")`,
      )!.n,
    };
  } finally {
    database.closeNow();
  }
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe("npm run seed", () => {
  it("loads missions, dozens of jobs and hundreds of cases in every status, and a second run changes nothing", async () => {
    const firstOutput = await seed();
    const first = snapshot();
    expect(firstOutput).toMatch(/created 7 missions, \d+ jobs, \d+ cases/);

    expect(total(first.missions)).toBeGreaterThanOrEqual(3);
    expect(total(first.jobs)).toBeGreaterThanOrEqual(24);
    expect(total(first.cases)).toBeGreaterThanOrEqual(200);
    expect(first.jobsWithoutMission).toBeGreaterThan(0);
    // Missions and jobs are seen in every status; cases start as they are created, so never STOPPED.
    expect(Object.keys(first.missions).sort()).toEqual([...ENTITY_STATUSES].sort());
    expect(Object.keys(first.jobs).sort()).toEqual([...ENTITY_STATUSES].sort());
    expect(Object.keys(first.cases).sort()).toEqual(ENTITY_STATUSES.filter((s) => s !== "STOPPED").sort());
    // Histories come from real events: every event of the lifecycle was used.
    expect(first.events).toEqual([...ENTITY_EVENTS].sort());
    expect(first.updates).toBeGreaterThan(total(first.cases));
    expect(first.costMismatches).toBe(0);
    expect(first.finishedMismatches).toBe(0);
    expect(first.versionMismatches).toBe(0);

    const secondOutput = await seed();
    expect(secondOutput).toContain("created 0 missions, 0 jobs, 0 cases, 0 transitions, 0 case updates");
    expect(snapshot()).toEqual(first);
  });
});
