// Reading TinyDB's file document by document, and mapping one document to a casebook entity: no
// database.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/data-movement/errors.js";
import { mapTinyDbDocument } from "../../src/data-movement/tinydb/tinydb-mapping.js";
import { readTinyDb, type TinyDbDocument } from "../../src/data-movement/tinydb/tinydb-reader.js";
import { tempDir } from "../support/database.js";
import { TINYDB_FIXTURE } from "../support/dumps.js";

const NOW = new Date("2026-06-01T12:00:00.000Z");

async function documentsOf(file: string): Promise<TinyDbDocument[]> {
  const documents: TinyDbDocument[] = [];
  for await (const document of readTinyDb(file)) documents.push(document);
  return documents;
}

describe("reading a TinyDB file", () => {
  const dir = tempDir("casebook-tinydb-");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it("yields every document of every table, as JSON.parse reads the whole file", async () => {
    const whole = JSON.parse(fs.readFileSync(TINYDB_FIXTURE, "utf8").replace(/: NaN/g, ": null")) as Record<
      string,
      Record<string, unknown>
    >;
    const documents = await documentsOf(TINYDB_FIXTURE);
    const expected = Object.entries(whole).flatMap(([table, docs]) =>
      Object.entries(docs).map(([docId, value]) => ({ table, docId, value })),
    );
    // JavaScript puts keys that look like integers first and in numeric order, the file in text order.
    const byKey = (list: { table: string; docId: string; value: unknown }[]) =>
      new Map(list.map(({ table, docId, value }) => [`${table}/${docId}`, value]));
    expect(documents).toHaveLength(expected.length);
    expect(byKey(documents)).toEqual(byKey(expected));
    expect(documents.slice(0, 3).map((d) => d.docId)).toEqual(["1", "10", "100"]);
    expect(documents.filter((d) => d.nonFinite)).toHaveLength(1);
  });

  it("follows strings, escapes and nesting, and documents that span read chunks", async () => {
    const long = "x".repeat(3 * 1024 * 1024);
    const file = write(
      "tricky.json",
      `{"Job": {"1": {"id": "a", "name": "braces } { and \\"quotes\\" ]", "deep": [[{"k": "}"}]]}, "2\\"": {"id": "${long}"}}, "Case": {}, "Other": {"1": 5}}`,
    );
    const documents = await documentsOf(file);
    expect(documents.map((d) => [d.table, d.docId])).toEqual([
      ["Job", "1"],
      ["Job", '2"'],
      ["Other", "1"],
    ]);
    expect(documents[0]!.value).toEqual({ id: "a", name: 'braces } { and "quotes" ]', deep: [[{ k: "}" }]] });
    expect((documents[1]!.value as { id: string }).id).toHaveLength(long.length);
    expect(documents[2]!.value).toBe(5);
  });

  it("reads Python's NaN and Infinity as null outside strings, and reports a document that is not JSON", async () => {
    const file = write("odd.json", '{"Case": {"1": {"a": NaN, "b": -Infinity, "c": "NaN"}, "2": {"a": nope}}}');
    const [first, second] = await documentsOf(file);
    expect(first).toMatchObject({ value: { a: null, b: null, c: "NaN" }, nonFinite: true });
    expect(second).toMatchObject({ value: undefined, error: expect.any(String) });
  });

  it("refuses what is not a TinyDB file", async () => {
    await expect(documentsOf(write("list.json", "[1, 2]"))).rejects.toThrow(InputError);
    await expect(documentsOf(write("cut.json", '{"Job": {"1": {"id": "a"'))).rejects.toThrow(
      /not a complete TinyDB database/,
    );
    await expect(documentsOf(path.join(dir, "absent.json"))).rejects.toThrow(/no such file/);
  });
});

describe("mapping a TinyDB document", () => {
  it("reads lowercase statuses, naive datetimes as UTC, and keeps unknown fields in metadata.tinydb", () => {
    const result = mapTinyDbDocument(
      "Job",
      "7",
      {
        id: "job-1",
        name: "Run",
        agent_name: "agent",
        status: "completed",
        created_at: "2025-03-03T08:00:00.123456",
        finished_at: "2025-03-03T09:00:00+02:00",
        responses: [{ status: "completed" }],
        case_ids: ["c-1"],
        job_context: { mission_id: "m-1" },
        metadata: { team: "a" },
      },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      entity: expect.objectContaining({
        type: "Job",
        status: "COMPLETED",
        caseIds: ["c-1"],
        missionRef: "m-1",
        oddities: [],
        record: expect.objectContaining({
          id: "job-1",
          status: "STOPPED",
          version: 0,
          createdAt: new Date("2025-03-03T08:00:00.123Z"),
          finishedAt: new Date("2025-03-03T07:00:00.000Z"),
          updatedAt: NOW,
          metadata: { team: "a", tinydb: { doc_id: "7", responses: [{ status: "completed" }] } },
        }),
      }),
    });
  });

  it("drops a case's account, takes its steps in order, and falls back on the steps for a cost that is not a number", () => {
    const result = mapTinyDbDocument(
      "Case",
      "1",
      {
        id: "c-1",
        job_id: "job-1",
        name: "Case",
        account: { api_key: "secret" },
        status: "in_progress",
        total_cost: null,
        updates: [
          { index: 1, name: "a", cost: 0.5, payload: { x: 1 }, is_final: false, error: null },
          { index: 2, name: "b", cost: -3, payload: null, is_final: true, error: "", scheduled_status: "pending" },
        ],
      },
      NOW,
    );
    if (!result.ok || result.entity.type !== "Case") throw new Error("expected a case");
    expect(JSON.stringify(result.entity.record)).not.toContain("secret");
    expect(result.entity.steps).toEqual([
      { name: "a", costMicros: 500_000, payload: { x: 1 }, isFinal: false, error: null },
      { name: "b", costMicros: null, payload: null, isFinal: true, error: null },
    ]);
    expect(result.entity.record).toMatchObject({ jobId: "job-1", totalCostMicros: 500_000, createdAt: NOW });
    expect(result.entity.record.metadata.tinydb).toEqual({
      doc_id: "1",
      update_fields: [{ step: 1, scheduled_status: "pending" }],
    });
    expect(result.entity.oddities).toEqual(["step 1 has cost -3 (imported without a cost)"]);
  });

  it("refuses a document without an id, with an unknown status, or with text casebook cannot hold", () => {
    expect(mapTinyDbDocument("Job", "1", { name: "x", status: "stopped" }, NOW)).toEqual({
      ok: false,
      problem: "Job document 1 has no id",
    });
    expect(mapTinyDbDocument("Job", "1", { id: "j", status: "paused" }, NOW)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('unknown status "paused"'),
    });
    expect(mapTinyDbDocument("Case", "1", { id: "c", status: "stopped", name: "a\u0000b" }, NOW)).toMatchObject({
      ok: false,
      problem: expect.stringContaining("NUL"),
    });
    expect(mapTinyDbDocument("Case", "1", [1], NOW)).toEqual({
      ok: false,
      problem: "Case document 1 is not an object",
    });
  });
});
