// `npm run studio` on a PostgreSQL DATABASE_URL: Prisma Studio reads that database, and its own
// data API, with the adapter its UI uses for PostgreSQL, browses Mission → Jobs → Cases →
// Transitions as written by the services.
import { createStudioBFFClient } from "@prisma/studio-core/data/bff";
import { createPostgresAdapter } from "@prisma/studio-core/data/postgres-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/open.js";
import { freeLoopbackPort } from "../../src/server/network.js";
import { createServices } from "../../src/services/services.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { type Child, startChild } from "../support/service-process.js";

let database: TestDatabase;
let studio: Child | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  // Opening migrates the empty database, as the service would.
  const { db } = await openDatabase({ database: { engine: "postgresql", url: database.url } });
  const services = createServices(db.store);
  await services.missions.create({ id: "mission-pg", name: "Studio mission" });
  await services.jobs.create({ id: "job-pg", name: "Studio job", agentName: "browser", missionId: "mission-pg" });
  await services.jobs.handleEvent("job-pg", "START_WORK");
  await services.cases.start({ id: "case-pg", jobId: "job-pg", name: "Studio case" });
  await services.cases.handleEvent("case-pg", "SUCCESSFULLY_DONE");
  await db.close();
});

afterAll(async () => {
  if (studio) {
    studio.signal("SIGTERM");
    const stopped = await Promise.race([
      studio.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 10_000)),
    ]);
    if (!stopped) studio.kill();
  }
  await database.drop();
});

describe("npm run studio on PostgreSQL", () => {
  it("serves Prisma Studio on the database DATABASE_URL names, and it browses the workflow tables", async () => {
    const port = await freeLoopbackPort();
    studio = startChild("npm", ["run", "studio"], { DATABASE_URL: database.url, STUDIO_PORT: String(port) });
    await studio.waitForOutput(/casebook studio: Prisma Studio at/, 90_000);
    const origin = `http://127.0.0.1:${port}`;

    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('"adapter":"postgres"');

    const adapter = createPostgresAdapter({
      executor: createStudioBFFClient({ url: `${origin}/bff`, customHeaders: { origin } }),
    });
    const [introspectError, introspection] = await adapter.introspect({});
    expect(introspectError).toBeNull();
    const tables = introspection!.schemas.public!.tables;
    expect(Object.keys(tables)).toEqual(expect.arrayContaining(["Mission", "Job", "Case", "CaseUpdate", "Transition"]));
    expect(tables.Case!.columns.jobId).toMatchObject({ fkTable: "Job", fkColumn: "id" });

    const [error, result] = await adapter.query(
      {
        table: tables.Transition!,
        pageIndex: 0,
        pageSize: 25,
        sortOrder: [],
        filter: {
          kind: "FilterGroup",
          id: "root",
          after: "and",
          filters: [{ kind: "ColumnFilter", id: "f", after: "and", column: "caseId", operator: "=", value: "case-pg" }],
        },
      },
      { abortSignal: new AbortController().signal },
    );
    expect(error).toBeNull();
    expect(result!.rows.map((row) => row.event).sort()).toEqual(["START_WORK", "SUCCESSFULLY_DONE"]);
  });
});
