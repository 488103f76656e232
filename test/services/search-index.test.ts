// Search finds what LIKE '%text%' finds (README, "Queries for dashboards"), after every kind of
// write: create, rename, a new description, delete, a cascade delete and an import. On SQLite the
// texts of three characters or more are looked up in FTS5 trigram indexes kept by triggers; each
// step also runs FTS5's integrity check against the entity tables, which fails on an index out of
// step with them. On PostgreSQL the same expectations hold over the pg_trgm indexes. Texts of one
// or two characters are looked up in the short-text indexes (characters and pairs), on both
// engines kept by triggers too: each step searches for pairs the old texts held and the new hold.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDump } from "../../src/data-movement/ndjson-import.js";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";
import type { EntityType } from "../../src/domain/entities.js";
import type { Services } from "../../src/services/services.js";
import { createServices } from "../../src/services/services.js";
import { sqliteOf } from "../support/database.js";
import { dumpOf, streamOf } from "../support/dumps.js";
import { createEngineDatabase, type EngineDatabase } from "../support/engine.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

const SEARCH_INDEXES = ["Mission_search", "Job_search", "Case_search"];

/** The ids a search for `text` finds among `type`, all pages read. */
async function found(services: Services, type: EntityType, text: string): Promise<string[]> {
  const page = await services.byType[type].list({ search: text, first: 500 });
  return page.items.map((item) => item.id).sort();
}

/** FTS5's own check of each index against its entity table: throws when one is out of step. */
function checkIndexes(db: Database): void {
  if (db.engine !== "sqlite") return;
  for (const index of SEARCH_INDEXES) {
    sqliteOf(db).run(`INSERT INTO "${index}" ("${index}", "rank") VALUES ('integrity-check', 1)`);
  }
}

describe("search over names and descriptions, kept in step with every write", () => {
  let t: DatabaseWithServices;
  let s: Services;
  beforeAll(async () => {
    t = await openTestDatabase();
    s = t.services;
    await s.missions.create({ id: "m-1", name: "Quarterly Report", description: "for the board" });
    await s.missions.create({ id: "m-2", name: "Cleanup", description: "old REPORTS removed" });
    await s.jobs.create({ id: "j-1", name: "report writer", agentName: "a", missionId: "m-1" });
    await s.jobs.create({ id: "j-2", name: "50%_done", agentName: "a", missionId: "m-2" });
    await s.jobs.create({ id: "j-3", name: "500 done", agentName: "a" });
    for (const jobId of ["j-1", "j-2", "j-3"]) await s.jobs.handleEvent(jobId, "START_WORK");
    for (const [id, jobId, name, description] of [
      ["c-1", "j-1", "draft report", null],
      ["c-2", "j-1", "final", "the Report itself"],
      ["c-3", "j-2", "cleanup 50%_done", null],
      ["c-4", "j-3", "unrelated", "nothing here"],
    ] as const) {
      await s.cases.start({ id, jobId, name, description });
    }
  });
  afterAll(() => t?.dispose());

  it("finds a text in names and descriptions, ignoring ASCII case, short texts included", async () => {
    expect(await found(s, "Mission", "report")).toEqual(["m-1", "m-2"]);
    expect(await found(s, "Job", "REPORT")).toEqual(["j-1"]);
    expect(await found(s, "Case", "rEpOrT")).toEqual(["c-1", "c-2"]);
    expect(await found(s, "Case", "ep")).toEqual(["c-1", "c-2"]);
    expect(await found(s, "Case", "nothing here")).toEqual(["c-4"]);
    expect(await found(s, "Case", "missing")).toEqual([]);
    expect(await found(s, "Mission", "Rd")).toEqual(["m-1"]);
    expect(await found(s, "Mission", "q")).toEqual(["m-1"]);
    expect(await found(s, "Job", "t ")).toEqual(["j-1"]);
    expect(await found(s, "Job", "zz")).toEqual([]);
    checkIndexes(t.database);
  });

  it("finds one or two characters anywhere in a text, however long, and in a name of one character", async () => {
    const long = `${"ab".repeat(30_000)} Zq`;
    await s.cases.start({ id: "c-long", jobId: "j-3", name: "x", description: long });
    expect(await found(s, "Case", "zQ")).toEqual(["c-long"]);
    expect(await found(s, "Case", "ba")).toEqual(["c-long"]);
    // A pair across the 128th and 129th characters, where SQLite's index cuts a long text.
    await s.cases.start({ id: "c-cut", jobId: "j-3", name: `${"a".repeat(127)}Kw${"a".repeat(100)}` });
    expect(await found(s, "Case", "kW")).toEqual(["c-cut"]);
    await s.cases.delete("c-cut", true);
    expect(await found(s, "Case", "X")).toEqual(["c-long"]);
    expect(await found(s, "Case", "x")).toEqual(["c-long"]);
    await s.cases.delete("c-long", true);
    expect(await found(s, "Case", "zq")).toEqual([]);
    expect(await found(s, "Case", "x")).toEqual([]);
  });

  it("searches a parent's children too, one parent or many, with their counts", async () => {
    const idsOf = (pages: Map<string, { items: { id: string }[] }>, parent: string) =>
      pages
        .get(parent)!
        .items.map((item) => item.id)
        .sort();
    const many = await s.childrenPages("Case", ["j-1", "j-2"], { search: "REPORT" });
    expect(idsOf(many, "j-1")).toEqual(["c-1", "c-2"]);
    expect(idsOf(many, "j-2")).toEqual([]);
    expect(idsOf(await s.childrenPages("Case", ["j-1"], { search: "draft rep" }), "j-1")).toEqual(["c-1"]);
    const counts = await s.childrenStatusCounts("Case", ["j-1", "j-2"], { search: "report" });
    expect([...counts.get("j-1")!.values()].reduce((a, b) => a + b, 0)).toBe(2);
    expect(counts.get("j-2")!.size).toBe(0);
  });

  it("on SQLite, ignores the case of ASCII letters only, as LIKE does, though the index folds every letter", async () => {
    await s.cases.start({ id: "c-5", jobId: "j-3", name: "ÄRGER im Büro" });
    expect(await found(s, "Case", "ÄRGER")).toEqual(["c-5"]);
    expect(await found(s, "Case", "RGER IM")).toEqual(["c-5"]);
    expect(await found(s, "Case", "Ä")).toEqual(["c-5"]);
    expect(await found(s, "Case", "Bü")).toEqual(["c-5"]);
    if (t.engine === "sqlite") {
      expect(await found(s, "Case", "ärger")).toEqual([]);
      expect(await found(s, "Case", "ä")).toEqual([]);
      expect(await found(s, "Case", "bÜ")).toEqual([]);
    }
    await s.cases.delete("c-5", true);
  });

  it("matches % and _ only as themselves, however long the text", async () => {
    expect(await found(s, "Job", "0%_d")).toEqual(["j-2"]);
    expect(await found(s, "Job", "%_")).toEqual(["j-2"]);
    expect(await found(s, "Job", "0_")).toEqual([]);
    expect(await found(s, "Job", "50_ done")).toEqual([]);
    expect(await found(s, "Case", "50%_done")).toEqual(["c-3"]);
    expect(await found(s, "Case", 'say "hi"')).toEqual([]);
    expect(await found(s, "Job", "%")).toEqual(["j-2"]);
    expect(await found(s, "Job", "_")).toEqual(["j-2"]);
    expect(await found(s, "Job", "0_")).toEqual([]);
    expect(await found(s, "Job", '"')).toEqual([]);
  });

  it("follows a rename and a new description, and forgets the old texts", async () => {
    await s.jobs.update("j-1", { name: "summary writer" });
    await s.cases.update("c-1", { name: "draft summary" });
    await s.cases.update("c-4", { description: "a report after all" });
    await s.missions.update("m-2", { description: "nothing left" });
    expect(await found(s, "Job", "report")).toEqual([]);
    expect(await found(s, "Job", "summary")).toEqual(["j-1"]);
    expect(await found(s, "Case", "report")).toEqual(["c-2", "c-4"]);
    expect(await found(s, "Case", "summary")).toEqual(["c-1"]);
    expect(await found(s, "Mission", "report")).toEqual(["m-1"]);
    expect(await found(s, "Mission", "left")).toEqual(["m-2"]);
    expect(await found(s, "Job", "rt")).toEqual([]);
    expect(await found(s, "Job", "ry")).toEqual(["j-1"]);
    expect(await found(s, "Case", "r a")).toEqual(["c-4"]);
    expect(await found(s, "Mission", "ov")).toEqual([]);
    expect(await found(s, "Mission", "ft")).toEqual(["m-2"]);
    // A write that changes no searched text (a lifecycle event) leaves the index as it was.
    await s.cases.handleEvent("c-2", "SUCCESSFULLY_DONE");
    expect(await found(s, "Case", "report")).toEqual(["c-2", "c-4"]);
    checkIndexes(t.database);
  });

  it("forgets deleted rows, the cascade's included", async () => {
    await s.cases.delete("c-4", true);
    expect(await found(s, "Case", "report")).toEqual(["c-2"]);
    expect(await found(s, "Case", "r a")).toEqual([]);
    // The mission goes with its job and that job's case.
    await s.missions.delete("m-2", true);
    expect(await found(s, "Mission", "left")).toEqual([]);
    expect(await found(s, "Job", "done")).toEqual(["j-3"]);
    expect(await found(s, "Case", "cleanup")).toEqual([]);
    expect(await found(s, "Mission", "ft")).toEqual([]);
    expect(await found(s, "Job", "%")).toEqual([]);
    expect(await found(s, "Case", "%")).toEqual([]);
    checkIndexes(t.database);
  });
});

describe("search after an import", () => {
  const places: EngineDatabase[] = [];
  const opened: Database[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
    for (const place of places) await place.drop();
  });

  async function open(): Promise<Database> {
    const place = await createEngineDatabase();
    places.push(place);
    const { db } = await openDatabase({ database: place.target });
    opened.push(db);
    return db;
  }

  it("finds the imported rows in the database they were imported into", async () => {
    const source = await open();
    const services = createServices(source.store);
    await services.missions.create({ id: "m-i", name: "Imported mission", description: "carried over" });
    await services.jobs.create({ id: "j-i", name: "imported job", agentName: "a", missionId: "m-i" });
    await services.jobs.handleEvent("j-i", "START_WORK");
    await services.cases.start({ id: "c-i", jobId: "j-i", name: "imported case", description: "over there" });

    const target = await open();
    await importDump(target, streamOf(await dumpOf(source)));
    const imported = createServices(target.store);
    expect(await found(imported, "Mission", "carried")).toEqual(["m-i"]);
    expect(await found(imported, "Job", "IMPORTED")).toEqual(["j-i"]);
    expect(await found(imported, "Case", "over")).toEqual(["c-i"]);
    expect(await found(imported, "Case", "ov")).toEqual(["c-i"]);
    expect(await found(imported, "Mission", "D ")).toEqual(["m-i"]);
    checkIndexes(target);
  });
});
