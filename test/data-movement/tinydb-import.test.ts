// import-tinydb on the fixture (test/fixtures/tinydb/entities.json, as supervaizer's storage
// writes it): what it imports and how, what it reports, that a second run changes nothing, that
// --dry-run and --strict write nothing, and that the result survives export and import exactly.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importDump } from "../../src/data-movement/ndjson-import.js";
import { importTinyDb, StrictImportError } from "../../src/data-movement/tinydb/tinydb-import.js";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";
import { ENTITY_STATUSES } from "../../src/domain/lifecycle.js";
import { createServices, type Services } from "../../src/services/services.js";
import { dataRows, dumpOf, streamOf, TINYDB_FIXTURE, withoutExportTime } from "../support/dumps.js";
import { createEngineDatabase, type EngineDatabase } from "../support/engine.js";
import { expectError } from "../support/errors.js";
import { countOf } from "../support/rows.js";

const NOW = new Date("2026-06-01T12:00:00.000Z");

describe("import-tinydb", () => {
  const places: EngineDatabase[] = [];
  const opened: Database[] = [];
  let db: Database;
  let services: Services;

  async function open(): Promise<Database> {
    const place = await createEngineDatabase();
    places.push(place);
    const { db: database } = await openDatabase({ database: place.target });
    opened.push(database);
    return database;
  }

  beforeEach(async () => {
    db = await open();
    services = createServices(db.store);
  });

  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
    for (const place of places.splice(0)) await place.drop();
  });

  it("imports every valid entity with its status, and reports the rest without stopping", async () => {
    const report = await importTinyDb(db, TINYDB_FIXTURE, { now: NOW });

    const total = (type: "Mission" | "Job" | "Case") =>
      Object.values(report.imported[type]).reduce((a, b) => a + (b ?? 0), 0);
    expect([total("Mission"), total("Job"), total("Case")]).toEqual([4, 61, 256]);
    for (const status of ENTITY_STATUSES) {
      expect(report.imported.Case[status], status).toBeGreaterThan(0);
      expect(report.imported.Job[status], status).toBeGreaterThan(0);
    }
    expect(await services.cases.count({})).toBe(256);
    expect(report.ignoredTables).toEqual({ _default: 1 });
    expect(report.problems).toHaveLength(10);
    expect(
      report.problems.filter((p) =>
        /names job "deleted-job-\d", which is neither in the file nor in the database \(skipped\)/.test(p),
      ),
    ).toHaveLength(3);
    expect(report.problems).toContainEqual(
      expect.stringMatching(/lists case "gone-case-1" in case_ids, which the file does not have/),
    );
    expect(report.problems).toContainEqual(expect.stringMatching(/but that case's job_id is .* \(job_id wins\)/));
    expect(report.problems).toContainEqual(expect.stringMatching(/unknown status "paused"/));
    expect(report.problems).toContainEqual(expect.stringMatching(/"case with spaces": "id" must be/));
    expect(report.problems).toContainEqual(expect.stringMatching(/appears twice/));
    expect(report.problems).toContainEqual(expect.stringMatching(/contains a NUL character/));
    expect(report.oddities).toContainEqual(expect.stringMatching(/NaN or Infinity/));
  });

  it("maps the old fields to casebook's, keeps the others in metadata.tinydb and drops the account", async () => {
    await importTinyDb(db, TINYDB_FIXTURE, { now: NOW });

    const job = await services.jobs.get("c433ab47-ba89-4961-a1e5-6a903c1f51b3");
    expect(job).toMatchObject({
      status: "STOPPED",
      version: 0,
      agentName: expect.any(String),
      missionId: "mission-1",
      createdAt: new Date("2025-03-03T08:00:00.000Z"),
      finishedAt: null,
      jobContext: expect.objectContaining({ mission_id: "mission-1", workspace_id: "ws-128" }),
      payload: expect.objectContaining({ batch: 0 }),
      agentParameters: [
        { name: "model", value: "gpt-4o" },
        { name: "temperature", value: 0.2 },
      ],
      metadata: { campaign: "spring", priority: 0, tinydb: { doc_id: expect.any(String), responses: [] } },
    });

    const failedCase = (await services.cases.listCases({ status: ["FAILED"], first: 500 })).items.find(
      (c) => (c.metadata.tinydb as { doc_id: string }).doc_id !== undefined,
    )!;
    expect(failedCase.finishedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(failedCase.metadata)).not.toContain("sk-live");
    const steps = (await services.cases.updatesOf([failedCase.id])).get(failedCase.id)!;
    expect(steps.at(-1)).toMatchObject({ name: "tool call", error: "Tool timeout after 30s", isFinal: false });
    // Micro-units add exactly: the total is the sum of the steps to the millionth.
    expect(failedCase.totalCostMicros).toBe(steps.reduce((sum, s) => sum + (s.costMicros ?? 0), 0));

    const completed = (await services.cases.listCases({ status: ["COMPLETED"], first: 500 })).items[0]!;
    expect(completed.finalDelivery).toEqual({ answer: expect.stringMatching(/^done/) });
    expect(await services.cases.get("case with spaces")).toBeNull();
  });

  it("records one IMPORTED transition by the actor import for each entity not STOPPED, none for the others", async () => {
    const report = await importTinyDb(db, TINYDB_FIXTURE, { now: NOW });

    const notStopped = (["Mission", "Job", "Case"] as const).reduce(
      (sum, type) =>
        sum + Object.entries(report.imported[type]).reduce((s, [status, n]) => s + (status === "STOPPED" ? 0 : n!), 0),
      0,
    );
    expect(report.transitions).toBe(notStopped);
    expect(await countOf(db, `SELECT COUNT(*) AS n FROM "Transition"`)).toBe(notStopped);
    expect(
      await countOf(
        db,
        `SELECT COUNT(*) AS n FROM "Transition" WHERE "event" <> 'IMPORTED' OR "actor" <> 'import' OR "fromStatus" <> 'STOPPED' OR "version" <> 1`,
      ),
    ).toBe(0);

    const running = (await services.jobs.listJobs({ status: ["IN_PROGRESS"], first: 1 })).items[0]!;
    expect(running.version).toBe(1);
    const history = (await services.transitionPages("Job", [running.id], {})).get(running.id)!.items;
    expect(history).toEqual([
      expect.objectContaining({
        event: "IMPORTED",
        fromStatus: "STOPPED",
        toStatus: "IN_PROGRESS",
        actor: "import",
        reason: "imported from entities.json",
        at: NOW,
      }),
    ]);
  });

  it("leaves imported entities to the lifecycle rules: events go on from the imported status, IMPORTED cannot be sent", async () => {
    await importTinyDb(db, TINYDB_FIXTURE, { now: NOW });
    const awaiting = (await services.cases.listCases({ status: ["AWAITING"], first: 1 })).items[0]!;

    const resumed = await services.cases.handleEvent(awaiting.id, "INPUT_RECEIVED");
    expect(resumed).toMatchObject({ status: "IN_PROGRESS", version: 2 });
    await expectError(services.cases.handleEvent(awaiting.id, "IMPORTED" as never), "BAD_USER_INPUT");
    const done = (await services.cases.listCases({ status: ["COMPLETED"], first: 1 })).items[0]!;
    await expectError(services.cases.handleEvent(done.id, "START_WORK"), "INVALID_TRANSITION");
  });

  it("changes nothing when run again", async () => {
    await importTinyDb(db, TINYDB_FIXTURE, { now: NOW });
    const before = await dataRows(db);

    const again = await importTinyDb(db, TINYDB_FIXTURE, { now: new Date("2026-07-01T00:00:00.000Z") });

    expect(await dataRows(db)).toEqual(before);
    expect(again.alreadyPresent).toEqual({ Mission: 4, Job: 61, Case: 256 });
    expect(again.imported).toEqual({ Mission: {}, Job: {}, Case: {} });
  });

  it("writes nothing with --dry-run, and reports what a real run does", async () => {
    const before = await dataRows(db);
    const dry = await importTinyDb(db, TINYDB_FIXTURE, { now: NOW, dryRun: true });
    expect(await dataRows(db)).toEqual(before);

    const real = await importTinyDb(db, TINYDB_FIXTURE, { now: NOW });
    expect({ ...dry, dryRun: false }).toEqual(real);
  });

  it("writes nothing with --strict when something is skipped or dangling", async () => {
    const before = await dataRows(db);
    const error = await importTinyDb(db, TINYDB_FIXTURE, { now: NOW, strict: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StrictImportError);
    expect((error as StrictImportError).report.problems).toHaveLength(10);
    expect(await dataRows(db)).toEqual(before);
  });

  it("gives identical dumps after export and import into an empty database", async () => {
    await importTinyDb(db, TINYDB_FIXTURE, { now: NOW });
    const dump = await dumpOf(db);
    const copy = await open();

    await importDump(copy, streamOf(dump));

    expect(withoutExportTime(await dumpOf(copy))).toBe(withoutExportTime(dump));
    expect(await dataRows(copy)).toEqual(await dataRows(db));
  });
});
