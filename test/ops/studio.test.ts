// `npm run studio` as a user runs it: Prisma Studio on the service's database, its page over
// HTTP, and browsing Mission → Jobs → Cases → Transitions through Studio's own data API with
// the adapter its UI uses.
import fs from "node:fs";
import path from "node:path";
import { createStudioBFFClient } from "@prisma/studio-core/data/bff";
import { createSQLiteAdapter } from "@prisma/studio-core/data/sqlite-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeLoopbackPort } from "../../src/server/network.js";
import { openTempDatabase, tempDir } from "../support/database.js";
import { type Child, startChild } from "../support/service-process.js";

const started: Child[] = [];
let dir: string;

beforeAll(async () => {
  dir = tempDir("casebook-studio-");
  const { services, close } = openTempDatabase(dir);
  await services.missions.create({ id: "mission-studio", name: "Studio mission" });
  await services.missions.handleEvent("mission-studio", "START_WORK");
  await services.jobs.create({
    id: "job-studio",
    name: "Studio job",
    agentName: "browser",
    missionId: "mission-studio",
  });
  await services.jobs.handleEvent("job-studio", "START_WORK");
  await services.cases.start({ id: "case-studio", jobId: "job-studio", name: "Studio case" });
  await services.cases.handleEvent("case-studio", "SUCCESSFULLY_DONE");
  await services.jobs.create({ id: "job-other", name: "Another job", agentName: "browser" });
  close();
});

afterAll(async () => {
  for (const child of started) {
    child.signal("SIGTERM");
    const stopped = await Promise.race([
      child.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 10_000)),
    ]);
    if (!stopped) child.kill();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startStudio(env: Record<string, string>): Promise<{ child: Child; origin: string }> {
  const port = await freeLoopbackPort();
  const child = startChild("npm", ["run", "studio"], {
    DATABASE_URL: `file:${path.join(dir, "entities.db")}`,
    STUDIO_PORT: String(port),
    ...env,
  });
  started.push(child);
  await child.waitForOutput(/casebook studio: Prisma Studio (at|listening on)/, 90_000);
  return { child, origin: `http://127.0.0.1:${port}` };
}

async function browse(origin: string) {
  const page = await fetch(`${origin}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toMatch(/text\/html/);
  expect(await page.text()).toContain('"adapter":"sqlite"');

  const adapter = createSQLiteAdapter({
    executor: createStudioBFFClient({ url: `${origin}/bff`, customHeaders: { origin } }),
  });
  const [introspectError, introspection] = await adapter.introspect({});
  expect(introspectError).toBeNull();
  const tables = introspection!.schemas.main!.tables;
  expect(Object.keys(tables)).toEqual(expect.arrayContaining(["Mission", "Job", "Case", "CaseUpdate", "Transition"]));
  // The foreign keys are what Studio follows from a row to its related rows.
  expect(tables.Job!.columns.missionId).toMatchObject({ fkTable: "Mission", fkColumn: "id" });
  expect(tables.Case!.columns.jobId).toMatchObject({ fkTable: "Job", fkColumn: "id" });
  expect(tables.Transition!.columns.caseId).toMatchObject({ fkTable: "Case", fkColumn: "id" });

  const rows = async (table: string, column?: string, value?: string) => {
    const [error, result] = await adapter.query(
      {
        table: tables[table]!,
        pageIndex: 0,
        pageSize: 25,
        sortOrder: [],
        ...(column
          ? {
              filter: {
                kind: "FilterGroup",
                id: "root",
                after: "and",
                filters: [{ kind: "ColumnFilter", id: "f", after: "and", column, operator: "=", value }],
              },
            }
          : {}),
      },
      { abortSignal: new AbortController().signal },
    );
    expect(error).toBeNull();
    return result!.rows;
  };
  const missions = await rows("Mission");
  expect(missions.map((m) => m.id)).toEqual(["mission-studio"]);
  const jobs = await rows("Job", "missionId", "mission-studio");
  expect(jobs.map((j) => j.id)).toEqual(["job-studio"]);
  const cases = await rows("Case", "jobId", "job-studio");
  expect(cases).toMatchObject([{ id: "case-studio", status: "COMPLETED" }]);
  const transitions = await rows("Transition", "caseId", "case-studio");
  expect(transitions.map((t) => t.event)).toEqual(expect.arrayContaining(["START_WORK", "SUCCESSFULLY_DONE"]));
  expect(transitions).toHaveLength(2);
}

describe("npm run studio", () => {
  it("serves Prisma Studio on the service's database, and Studio browses missions, jobs, cases and transitions", async () => {
    const { origin } = await startStudio({});
    await browse(origin);
  });

  it("listens beyond loopback through its proxy when STUDIO_HOST says so, refusing foreign origins", async () => {
    const { origin } = await startStudio({ STUDIO_HOST: "0.0.0.0" });
    await browse(origin);
    const foreign = await fetch(`${origin}/bff`, {
      method: "POST",
      headers: { origin: "http://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ procedure: "query", query: { sql: "SELECT 1", parameters: [] } }),
    });
    expect(foreign.status).toBe(403);
  });

  it("refuses a bad setting with one line naming the variable", async () => {
    const child = startChild("npm", ["run", "--silent", "studio"], { DATABASE_URL: "mysql://db/casebook" });
    started.push(child);
    const { code } = await child.exited;
    expect(code).toBe(2);
    expect(child.stderr().trim().split("\n")).toEqual([
      expect.stringMatching(/^casebook studio: invalid configuration: DATABASE_URL: /),
    ]);
  });
});
