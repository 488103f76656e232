// Two OS processes writing to one database at the same time, as two casebook instances (or
// casebook and a script) would: nothing lost, nothing refused (on SQLite, no SQLITE_BUSY).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countRows, transitionRows } from "../support/entities.js";
import { runTogether, startWorker, type WorkerMessage } from "../support/processes.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

const CYCLES = 300;
const WORKERS = ["alpha", "beta"];

let t: DatabaseWithServices;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(() => t.dispose());

interface Done extends WorkerMessage {
  jobs: number;
  cases: number;
  updates: number;
  toggles: number;
  edits: number;
  conflicts: number;
  errors: number;
  startedAt: number;
  endedAt: number;
}

describe("two processes writing the same database at once", () => {
  it("lose nothing and refuse nothing", async () => {
    await t.services.missions.create({ id: "shared-mission", name: "shared" });
    await t.services.missions.handleEvent("shared-mission", "START_WORK");
    await t.services.jobs.create({ id: "shared-job", name: "shared", agentName: "everyone", metadata: { edits: 0 } });
    await t.services.jobs.handleEvent("shared-job", "START_WORK");
    await t.close();

    const results = await runTogether(
      WORKERS.map((name) =>
        startWorker("write-worker.ts", [t.url, name, String(CYCLES), "shared-mission", "shared-job"]),
      ),
    );

    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.messages.filter((m) => m.type !== "ready" && m.type !== "done")).toEqual([]);
      expect(JSON.stringify(r.messages)).not.toMatch(/SQLITE_BUSY|database is locked/);
    }
    const done = results.map((r) => r.messages.find((m) => m.type === "done") as Done);
    for (const d of done) {
      expect(d).toMatchObject({
        jobs: CYCLES,
        cases: CYCLES,
        updates: CYCLES,
        toggles: CYCLES,
        edits: CYCLES,
        errors: 0,
      });
    }
    // They really ran at the same time.
    expect(Math.max(...done.map((d) => d.startedAt))).toBeLessThan(Math.min(...done.map((d) => d.endedAt)));

    t = await t.reopen();
    const n = WORKERS.length * CYCLES;
    expect(await countRows(t, "Job")).toBe(n + 1);
    expect(await countRows(t, "Case")).toBe(n);
    expect(await countRows(t, "CaseUpdate")).toBe(n);
    expect(await t.services.jobs.countJobs({ missionId: "shared-mission", status: ["COMPLETED"] })).toBe(n);
    expect(await t.services.cases.countCases({ status: ["COMPLETED"] })).toBe(n);
    expect(await t.query(`SELECT CAST(SUM("totalCostMicros") AS BIGINT) AS total FROM "Case"`)).toEqual([
      { total: n * 1_000_000 },
    ]);
    // 4 transitions per cycle, one per toggle of the shared job, and the two starts.
    expect(await countRows(t, "Transition")).toBe(n * 4 + n + 2);

    const shared = (await t.services.jobs.get("shared-job"))!;
    expect(shared.metadata.edits).toBe(n);
    expect(shared.version).toBe(1 + n + n);
    expect(await transitionRows(t, "Job", "shared-job")).toHaveLength(1 + n);
    // An even number of toggles brings it back where it started.
    expect(shared.status).toBe("IN_PROGRESS");
    for (const name of WORKERS) expect(await t.services.jobs.countJobs({ agentName: name })).toBe(CYCLES);
  });
});
