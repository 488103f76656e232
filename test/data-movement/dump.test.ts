// casebook's own dump: every row out and back in, on either engine, exactly; and everything that
// must not be imported is refused with nothing written.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError, RefusedError } from "../../src/data-movement/errors.js";
import { importDump } from "../../src/data-movement/ndjson-import.js";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";
import { createServices } from "../../src/services/services.js";
import { dataRows, dumpOf, sampleData, streamOf, withoutExportTime } from "../support/dumps.js";
import { createEngineDatabase, type EngineDatabase } from "../support/engine.js";
import { snapshotRows } from "../support/rows.js";

describe("export and import of casebook's own data", () => {
  const places: EngineDatabase[] = [];
  const opened: Database[] = [];
  let source: Database;
  let target: Database;

  async function open(): Promise<Database> {
    const place = await createEngineDatabase();
    places.push(place);
    const { db } = await openDatabase({ database: place.target });
    opened.push(db);
    return db;
  }

  beforeEach(async () => {
    source = await open();
    target = await open();
    await sampleData(createServices(source.store));
  });

  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    for (const place of places.splice(0)) await place.drop();
  });

  it("reproduces every row of every table in an empty database, and the dumps of both are the same", async () => {
    const dump = await dumpOf(source);
    const counts = await importDump(target, streamOf(dump));

    expect(counts).toMatchObject({ Mission: 1, Job: 2, Case: 3, CaseUpdate: 3 });
    expect(await dataRows(target)).toEqual(await dataRows(source));
    expect(withoutExportTime(await dumpOf(target))).toBe(withoutExportTime(dump));
  });

  it("names the schema version and every table's columns in its first line, and counts rows in its last", async () => {
    const lines = (await dumpOf(source)).trimEnd().split("\n");
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ format: "casebook-dump", formatVersion: 1, engine: source.engine });
    expect(header.migration).toMatch(/^\d{14}_/);
    expect(header.tables.map((t: { name: string }) => t.name)).toEqual([
      "Mission",
      "Job",
      "Case",
      "CaseUpdate",
      "Change",
      "ChangeFeed",
      "Transition",
    ]);
    expect(JSON.parse(lines.at(-1)!)).toEqual({
      end: true,
      // The change feed travels as a table of its own: one row per write the sample made.
      rows: {
        Mission: 1,
        Job: 2,
        Case: 3,
        CaseUpdate: 3,
        Change: (await source.store.changes.list(0, 1000)).length,
        ChangeFeed: 0,
        Transition: 8,
      },
    });
  });

  it("keeps what an imported database does next in line: new transitions get new ids, idempotency keys still answer", async () => {
    await importDump(target, streamOf(await dumpOf(source)));
    const services = createServices(target.store);

    const retried = await services.jobs.handleEvent("job-1", "START_WORK", { idempotencyKey: "key-1" });
    expect(retried).toMatchObject({ status: "IN_PROGRESS", version: 1 });
    await services.cases.handleEvent("case-3", "INPUT_RECEIVED");
    const page = await services.transitionPages("Case", ["case-3"], {});
    const ids = page.get("case-3")!.items.map((t) => t.id);
    expect(ids).toHaveLength(3);
    expect(ids[2]).toBeGreaterThan(8);
  });

  it("refuses a database that already holds data, and changes nothing", async () => {
    const dump = await dumpOf(source);
    const before = await snapshotRows(source);

    await expect(importDump(source, streamOf(dump))).rejects.toThrow(RefusedError);
    expect(await snapshotRows(source)).toEqual(before);
  });

  it("refuses a dump of another schema version, saying which", async () => {
    const dump = (await dumpOf(source)).replace(/"migration":"[^"]*"/, '"migration":"20990101000000_future"');
    const before = await snapshotRows(target);

    const error = await importDump(target, streamOf(dump)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/schema version 20990101000000_future .* this casebook at \d{14}_/);
    expect(await snapshotRows(target)).toEqual(before);
  });

  it("refuses a dump whose columns differ from the database's", async () => {
    const dump = (await dumpOf(source)).replace('{"name":"agentName","kind":"text"}', '{"name":"agent","kind":"text"}');
    await expect(importDump(target, streamOf(dump))).rejects.toThrow(
      /Job\.agent does not exist here; Job\.agentName is missing/,
    );
  });

  it("writes nothing from a dump that was cut short or has a damaged line", async () => {
    const dump = await dumpOf(source);
    const lines = dump.trimEnd().split("\n");
    const before = await snapshotRows(target);

    await expect(importDump(target, streamOf(`${lines.slice(0, -1).join("\n")}\n`))).rejects.toThrow(/cut short/);
    expect(await snapshotRows(target)).toEqual(before);

    const damaged = [...lines.slice(0, 6), "{not json", ...lines.slice(6)].join("\n");
    await expect(importDump(target, streamOf(damaged))).rejects.toThrow(/line 7 is not JSON/);
    expect(await snapshotRows(target)).toEqual(before);

    await expect(importDump(target, streamOf("not a dump\n"))).rejects.toThrow(/not a casebook dump/);
  });
});
