// Dumps in memory, and a small data set that uses every table and kind of value, for the tests
// of export and import.
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { exportDump } from "../../src/data-movement/ndjson-export.js";
import type { Database } from "../../src/db/database.js";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import type { Services } from "../../src/services/services.js";
import { snapshotRows } from "./rows.js";

export const TINYDB_FIXTURE = path.join(PACKAGE_ROOT, "test/fixtures/tinydb/entities.json");

/** The database's dump as text. */
export async function dumpOf(db: Database): Promise<string> {
  let text = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  await exportDump(db, sink);
  return text;
}

/** The dump without the instant it was taken, which is all that differs between two dumps of the same rows. */
export function withoutExportTime(dump: string): string {
  return dump.replace(/"exportedAt":"[^"]*",/, "");
}

export function streamOf(text: string): Readable {
  return Readable.from([text]);
}

/** Missions, jobs, cases, steps and transitions, with JSON of every shape, text beyond ASCII and an idempotent event. */
export async function sampleData(s: Services): Promise<void> {
  await s.missions.create({
    id: "m-1",
    name: "Mission één 🚀",
    description: 'with "quotes"\nand lines',
    metadata: { a: [1, 2.5, null], b: { c: true } },
  });
  await s.missions.handleEvent("m-1", "START_WORK", { actor: "ops", reason: "go" });
  await s.jobs.create({
    id: "job-1",
    name: "Job",
    agentName: "agent",
    missionId: "m-1",
    jobContext: { nested: { deep: [{}] } },
    payload: "a JSON string",
    agentParameters: [1, "two", { three: 3 }],
  });
  await s.jobs.create({ id: "job-2", name: "No mission", agentName: "agent", payload: 42 });
  await s.jobs.handleEvent("job-1", "START_WORK", { idempotencyKey: "key-1" });
  await s.cases.start({ jobId: "job-1", id: "case-1", name: "Case", description: "d" });
  await s.cases.addUpdate("case-1", { name: "step", cost: 0.1, payload: { x: 1 } });
  await s.cases.addUpdate("case-1", { cost: 0.2, isFinal: true, payload: [1, "done"] });
  await s.cases.handleEvent("case-1", "SUCCESSFULLY_DONE");
  await s.cases.start({ jobId: "job-1", id: "case-2", name: "Fails" });
  await s.cases.addUpdate("case-2", { name: "tool", error: "timeout" });
  await s.cases.start({ jobId: "job-2", id: "case-3", name: "Waits" });
  await s.cases.handleEvent("case-3", "AWAITING_ON_INPUT");
}

/**
 * Every row of casebook's tables, as the driver reads them, in one order whatever order they
 * were inserted in (snapshotRows orders SQLite's by rowid): without the migration ledger, whose
 * ids and times are each database's own.
 */
export async function dataRows(db: Database): Promise<Record<string, unknown[]>> {
  const { _prisma_migrations: _, ...tables } = await snapshotRows(db);
  return Object.fromEntries(
    Object.entries(tables).map(([name, rows]) => [name, rows.map((row) => JSON.stringify(row)).sort()]),
  );
}
