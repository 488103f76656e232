// Mission 1-n Job 1-n Case, enforced by the database itself: raw SQL through the connection,
// bypassing every check in the services, must be held to the same relations.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../src/db/open.js";
import { openTempDatabase, type TempDatabase } from "../support/database.js";
import { createIn } from "../support/entities.js";
import { snapshotRows } from "../support/rows.js";

let t: TempDatabase;
beforeEach(() => {
  t = openTempDatabase();
});
afterEach(() => t.dispose());

const AT = "2026-01-01T00:00:00.000+00:00";

function expectForeignKeyFailure(sql: string, params: (string | number | null)[] = []) {
  let caught: unknown;
  try {
    t.db.run(sql, params);
  } catch (error) {
    caught = error;
  }
  expect(caught, sql).toBeInstanceOf(Error);
  expect((caught as Error).message).toMatch(/FOREIGN KEY constraint failed/);
  expect((caught as { code?: string }).code).toBe("SQLITE_CONSTRAINT_FOREIGNKEY");
}

describe("the database refuses a row whose parent does not exist", () => {
  it("a Case whose jobId names no job", async () => {
    const before = await snapshotRows(t.db);
    expectForeignKeyFailure(
      `INSERT INTO "Case" ("id", "name", "metadata", "updatedAt", "jobId") VALUES ('c1', 'orphan', '{}', ?, 'no-such-job')`,
      [AT],
    );
    expect(await snapshotRows(t.db)).toEqual(before);
  });

  it("a Job whose missionId names no mission (but a job without a mission is fine)", async () => {
    expectForeignKeyFailure(
      `INSERT INTO "Job" ("id", "name", "metadata", "updatedAt", "agentName", "missionId") VALUES ('j1', 'orphan', '{}', ?, 'a', 'no-such-mission')`,
      [AT],
    );
    t.db.run(
      `INSERT INTO "Job" ("id", "name", "metadata", "updatedAt", "agentName", "missionId") VALUES ('j2', 'free', '{}', ?, 'a', NULL)`,
      [AT],
    );
    expect(t.db.get(`SELECT "id" FROM "Job" WHERE "id" = 'j2'`)).toEqual({ id: "j2" });
  });

  it("a Case without a job at all", async () => {
    expect(() =>
      t.db.run(
        `INSERT INTO "Case" ("id", "name", "metadata", "updatedAt", "jobId") VALUES ('c1', 'orphan', '{}', ?, NULL)`,
        [AT],
      ),
    ).toThrow(/NOT NULL constraint failed: Case.jobId/);
  });

  it("a CaseUpdate of no case", async () => {
    expectForeignKeyFailure(`INSERT INTO "CaseUpdate" ("caseId", "index", "at") VALUES ('no-such-case', 0, ?)`, [AT]);
  });

  it.each(["missionId", "jobId", "caseId"])("a Transition whose %s names nothing", (column) => {
    expectForeignKeyFailure(
      `INSERT INTO "Transition" ("entityType", "${column}", "event", "fromStatus", "toStatus", "version", "at")
       VALUES ('JOB', 'nothing', 'START_WORK', 'STOPPED', 'IN_PROGRESS', 1, ?)`,
      [AT],
    );
  });

  it("a parent's id changed under its children", async () => {
    const jobId = await createIn(t, "Job", "STOPPED");
    await t.services.cases.start({ jobId, name: "child" });
    // ON UPDATE CASCADE carries the children along rather than orphaning them.
    t.db.run(`UPDATE "Job" SET "id" = 'renamed' WHERE "id" = ?`, [jobId]);
    expect(t.db.all(`SELECT "jobId" FROM "Case"`)).toEqual([{ jobId: "renamed" }]);
  });
});

describe("deleting cascades", () => {
  // m1 { j1 { c1, c2 }, j2 { c3 } }, m2 { j3 { c4 } }, j4 (no mission) { c5 }; all with history.
  async function buildTree() {
    const m1 = await createIn(t, "Mission", "IN_PROGRESS");
    const m2 = await createIn(t, "Mission", "AWAITING");
    const j1 = await createIn(t, "Job", "IN_PROGRESS", m1);
    const j2 = await createIn(t, "Job", "IN_PROGRESS", m1);
    const j3 = await createIn(t, "Job", "IN_PROGRESS", m2);
    const j4 = await createIn(t, "Job", "IN_PROGRESS");
    const c1 = await createIn(t, "Case", "AWAITING", j1);
    const c2 = await createIn(t, "Case", "FAILED", j1);
    const c3 = await createIn(t, "Case", "IN_PROGRESS", j2);
    const c4 = await createIn(t, "Case", "IN_PROGRESS", j3);
    const c5 = await createIn(t, "Case", "IN_PROGRESS", j4);
    // Finished or cancelling jobs take no new cases: these end so once their cases exist.
    await t.services.jobs.handleEvent(j2, "SUCCESSFULLY_DONE");
    await t.services.jobs.handleEvent(j4, "CANCEL_REQUESTED", { cascade: false });
    for (const c of [c1, c3, c4, c5]) await t.services.cases.addUpdate(c, { name: "step", cost: 1 });
    return { m1, m2, j1, j2, j3, j4, c1, c2, c3, c4, c5 };
  }

  /** The snapshot with the rows of the given entities (and everything hanging off them) removed. */
  function without(
    before: Record<string, unknown[]>,
    gone: { missions?: string[]; jobs?: string[]; cases?: string[] },
  ) {
    const m = new Set(gone.missions ?? []);
    const j = new Set(gone.jobs ?? []);
    const c = new Set(gone.cases ?? []);
    type Row = Record<string, string | null>;
    return {
      ...before,
      Mission: (before.Mission as Row[]).filter((r) => !m.has(r.id!)),
      Job: (before.Job as Row[]).filter((r) => !j.has(r.id!)),
      Case: (before.Case as Row[]).filter((r) => !c.has(r.id!)),
      CaseUpdate: (before.CaseUpdate as Row[]).filter((r) => !c.has(r.caseId!)),
      Transition: (before.Transition as Row[]).filter(
        (r) => !m.has(r.missionId!) && !j.has(r.jobId!) && !c.has(r.caseId!),
      ),
    };
  }

  /**
   * A snapshot taken after a delete through the services, split into the rest of the tables (for
   * `without`) and the change feed's rows appended since `before`, as "TYPE id KIND", in order.
   */
  function afterServiceDelete(before: Record<string, unknown[]>, after: Record<string, unknown[]>) {
    const seen = (before.Change as unknown[]).length;
    const appended = (after.Change as Record<string, string>[])
      .slice(seen)
      .map((r) => `${r.entityType} ${r.entityId} ${r.kind}`);
    return { tables: { ...after, Change: after.Change!.slice(0, seen) }, appended };
  }

  it("a mission deleted with raw SQL takes its jobs, their cases, case updates and all their transitions", async () => {
    const e = await buildTree();
    const before = await snapshotRows(t.db);
    expect((before.Transition as unknown[]).length).toBeGreaterThan(10);

    t.db.run(`DELETE FROM "Mission" WHERE "id" = ?`, [e.m1]);

    const after = await snapshotRows(t.db);
    expect(after).toEqual(without(before, { missions: [e.m1], jobs: [e.j1, e.j2], cases: [e.c1, e.c2, e.c3] }));
    // Something was left, so the comparison above is not trivially empty.
    expect((after.Job as unknown[]).length).toBe(2);
    expect((after.Case as unknown[]).length).toBe(2);
  });

  it("the services' deleteMission does the same and reports it", async () => {
    const e = await buildTree();
    const before = await snapshotRows(t.db);

    expect(await t.services.missions.delete(e.m1, true)).toBe(true);

    const { tables, appended } = afterServiceDelete(before, await snapshotRows(t.db));
    expect(tables).toEqual(without(before, { missions: [e.m1], jobs: [e.j1, e.j2], cases: [e.c1, e.c2, e.c3] }));
    // One DELETED change for each removed entity: the mission, then its jobs, then their cases.
    expect(appended).toEqual([
      `MISSION ${e.m1} DELETED`,
      `JOB ${e.j1} DELETED`,
      `JOB ${e.j2} DELETED`,
      `CASE ${e.c1} DELETED`,
      `CASE ${e.c2} DELETED`,
      `CASE ${e.c3} DELETED`,
    ]);
    expect(await t.services.missions.delete(e.m1)).toBe(false);
  });

  it("a deleted job takes its cases, their updates and the transitions of all of them", async () => {
    const e = await buildTree();
    const before = await snapshotRows(t.db);

    expect(await t.services.jobs.delete(e.j1, true)).toBe(true);

    const { tables, appended } = afterServiceDelete(before, await snapshotRows(t.db));
    expect(tables).toEqual(without(before, { jobs: [e.j1], cases: [e.c1, e.c2] }));
    expect(appended).toEqual([`JOB ${e.j1} DELETED`, `CASE ${e.c1} DELETED`, `CASE ${e.c2} DELETED`]);
  });

  it("a deleted case takes its updates and transitions", async () => {
    const e = await buildTree();
    const before = await snapshotRows(t.db);

    expect(await t.services.cases.delete(e.c1, true)).toBe(true);

    const { tables, appended } = afterServiceDelete(before, await snapshotRows(t.db));
    expect(tables).toEqual(without(before, { cases: [e.c1] }));
    expect(appended).toEqual([`CASE ${e.c1} DELETED`]);
  });
});

describe("connection settings", () => {
  const pragma = (name: string) => Object.values(t.db.pragma<Record<string, unknown>[]>(name)[0]!)[0];

  it("has foreign keys on, WAL journaling, a busy timeout and full sync", async () => {
    expect(pragma("foreign_keys")).toBe(1);
    expect(pragma("journal_mode")).toBe("wal");
    expect(pragma("busy_timeout")).toBe(5000);
    expect(pragma("synchronous")).toBe(2);
  });

  it("keeps them after a reopen, and takes a configured busy timeout and sync level", async () => {
    t = t.reopen();
    expect(pragma("foreign_keys")).toBe(1);
    expect(pragma("journal_mode")).toBe("wal");

    const { db } = openSqliteDatabase({
      databasePath: path.join(t.dir, "other.db"),
      sqliteBusyTimeoutMs: 1234,
      sqliteSynchronous: "NORMAL",
    });
    try {
      expect(db.sql.pragma<{ timeout: number }[]>("busy_timeout")[0]!.timeout).toBe(1234);
      expect(db.sql.pragma<{ synchronous: number }[]>("synchronous")[0]!.synchronous).toBe(1);
      expect(db.sql.pragma<{ foreign_keys: number }[]>("foreign_keys")[0]!.foreign_keys).toBe(1);
    } finally {
      db.closeNow();
    }
  });
});
