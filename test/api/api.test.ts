// The in-process API (src/api, the package's entry point) on the run's engine: the services of
// the GraphQL API with their rules, errors and transactions, and two processes on one database.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Casebook,
  InvalidTransitionError,
  NotFoundError,
  openCasebook,
  VersionConflictError,
} from "../../src/api/index.js";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";
import { createEngineDatabase, type EngineDatabase } from "../support/engine.js";
import { runTogether, startWorker } from "../support/processes.js";
import { snapshotRows } from "../support/rows.js";

describe("openCasebook", () => {
  let place: EngineDatabase;
  let casebook: Casebook;

  beforeEach(async () => {
    place = await createEngineDatabase();
    casebook = await openCasebook({ databaseUrl: place.url, env: { APP_ENV: "test" } });
  });

  afterEach(async () => {
    await casebook.close();
    await place.drop();
  });

  it("creates, reads, lists, moves and deletes missions, jobs and cases", async () => {
    expect(casebook.engine).toBe(place.engine);
    const mission = await casebook.missions.create({ name: "Mission" });
    expect(mission).toMatchObject({
      id: expect.stringMatching(/^mission-/),
      status: "STOPPED",
      version: 0,
      metadata: {},
    });
    const job = await casebook.jobs.create({ id: "job-1", name: "Job", agentName: "agent", missionId: mission.id });
    const started = await casebook.cases.start({ jobId: job.id, id: "case-1", name: "Case" });
    expect(started).toMatchObject({ status: "IN_PROGRESS", version: 1 });

    await casebook.cases.addStep("case-1", { name: "draft", cost: 0.25 });
    const delivered = await casebook.cases.addStep("case-1", { cost: 0.5, isFinal: true, payload: { answer: 42 } });
    expect(delivered).toMatchObject({ totalCost: 0.75, finalDelivery: { answer: 42 } });
    expect((await casebook.cases.steps("case-1")).map((s) => s.index)).toEqual([0, 1]);
    expect(await casebook.cases.transition("case-1", "COMPLETED", { actor: "script" })).toMatchObject({
      status: "COMPLETED",
      finishedAt: expect.any(Date),
    });
    const history = await casebook.cases.transitions("case-1");
    expect(history.items.map((t) => t.event)).toEqual(["START_WORK", "SUCCESSFULLY_DONE"]);

    await casebook.jobs.handleEvent("job-1", "START_WORK");
    expect(await casebook.jobs.get("job-1")).toMatchObject({ status: "IN_PROGRESS", version: 1 });
    expect(await casebook.jobs.get("absent")).toBeNull();
    expect(await casebook.runningCounts()).toEqual({ missions: 0, jobs: 1, cases: 0 });

    for (let i = 2; i <= 5; i++) await casebook.cases.start({ jobId: "job-1", id: `case-${i}`, name: `Case ${i}` });
    const first = await casebook.cases.list({ jobId: "job-1", first: 2 });
    expect(first).toMatchObject({ hasNextPage: true, endCursor: expect.any(String) });
    const rest = await casebook.cases.list({ jobId: "job-1", first: 10, after: first.endCursor });
    expect([...first.items, ...rest.items].map((c) => c.id)).toEqual([
      "case-1",
      "case-2",
      "case-3",
      "case-4",
      "case-5",
    ]);
    const all: string[] = [];
    for await (const c of casebook.cases.all({ status: ["IN_PROGRESS"] })) all.push(c.id);
    expect(all).toEqual(["case-2", "case-3", "case-4", "case-5"]);

    await expect(casebook.missions.delete(mission.id)).rejects.toMatchObject({ code: "ENTITY_RUNNING" });
    expect(await casebook.missions.delete(mission.id, { force: true })).toBe(true);
    expect(await casebook.missions.delete(mission.id)).toBe(false);
    expect(await casebook.cases.get("case-1")).toBeNull();
  });

  it("refuses what the GraphQL API refuses, with the same errors, and leaves the database as it was", async () => {
    await casebook.jobs.create({ id: "job-1", name: "Job", agentName: "agent" });
    await casebook.cases.start({ jobId: "job-1", id: "case-1", name: "Case" });
    const { db }: { db: Database } = await openDatabase({ database: place.target });
    try {
      const before = await snapshotRows(db);

      const invalid = await casebook.cases.handleEvent("case-1", "START_WORK").catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(InvalidTransitionError);
      expect(invalid).toMatchObject({
        code: "INVALID_TRANSITION",
        details: { from: "IN_PROGRESS", validEvents: expect.any(Array) },
      });
      await expect(casebook.jobs.handleEvent("absent", "START_WORK")).rejects.toThrow(NotFoundError);
      await expect(casebook.cases.update("case-1", { name: "x" }, 0)).rejects.toThrow(VersionConflictError);
      await expect(casebook.cases.start({ jobId: "job-1", id: "case-1", name: "again" })).rejects.toMatchObject({
        code: "ALREADY_EXISTS",
      });
      await expect(casebook.cases.start({ jobId: "absent", name: "orphan" })).rejects.toMatchObject({
        code: "BAD_USER_INPUT",
        details: { field: "jobId" },
      });
      await expect(casebook.missions.create({ name: " " })).rejects.toMatchObject({
        code: "BAD_USER_INPUT",
        details: { field: "name" },
      });
      await expect(casebook.cases.addStep("case-1", { cost: -1 })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });

      expect(await snapshotRows(db)).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it("shares one database with another process: each sees the other's writes, and a race has one winner", async () => {
    await casebook.jobs.create({ id: "job-shared", name: "Shared", agentName: "agent" });
    await casebook.cases.start({ jobId: "job-shared", id: "case-shared", name: "Raced" });
    const workers = ["alpha", "beta"].map((name) =>
      startWorker("api-worker.ts", [place.url, name, "job-shared", "case-shared", "10"]),
    );

    const results = await runTogether(workers);

    for (const { code, messages, stderr } of results) {
      expect(code, stderr).toBe(0);
      expect(messages.filter((m) => m.type === "error")).toEqual([]);
    }
    const outcomes = results.map((r) => r.messages.find((m) => m.type === "finish")?.outcome).sort();
    expect(outcomes).toEqual(["INVALID_TRANSITION", "applied"]);
    expect((await casebook.cases.list({ jobId: "job-shared", first: 500 })).items).toHaveLength(21);
    expect(await casebook.cases.get("alpha-case-9")).toMatchObject({ totalCost: 0.5, version: 2 });
    expect(await casebook.cases.get("case-shared")).toMatchObject({ status: "COMPLETED", version: 2 });
  });
});
