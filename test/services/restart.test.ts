// Closing and reopening the database (a restart): everything reads back the same, and work in
// progress carries on where it stopped.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { transitionRows } from "../support/entities.js";
import { expectError } from "../support/errors.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(() => t.dispose());

async function populate() {
  const s = t.services;
  const mission = await s.missions.create({
    id: "m",
    name: "mission",
    description: "all of it",
    metadata: { owner: "ops", tags: ["a", "b"] },
  });
  await s.missions.handleEvent(mission.id, "START_WORK", { actor: "ops", reason: "go" });
  await s.jobs.create({
    id: "j-running",
    name: "running job",
    agentName: "writer",
    missionId: "m",
    jobContext: { depth: 2 },
    payload: [1, "two", { three: 3 }],
    agentParameters: { temperature: 0.2 },
  });
  await s.jobs.handleEvent("j-running", "START_WORK", { idempotencyKey: "start" });
  await s.jobs.update("j-running", { result: { partial: true }, error: null });
  await s.jobs.create({ id: "j-done", name: "finished job", agentName: "reader", missionId: "m" });
  await s.jobs.handleEvent("j-done", "START_WORK");
  await s.cases.start({ id: "c-failed", jobId: "j-done", name: "failed" });
  await s.cases.addUpdate("c-failed", { name: "crash", error: "out of memory", cost: 1 });
  await s.jobs.handleEvent("j-done", "SUCCESSFULLY_DONE");
  await s.jobs.create({ id: "j-stopped", name: "not started", agentName: "reader" });
  await s.cases.start({ id: "c-awaiting", jobId: "j-running", name: "waits", description: "for input" });
  await s.cases.addUpdate("c-awaiting", { name: "ask", cost: 0.25, payload: { question: "?" } });
  await s.cases.handleEvent("c-awaiting", "AWAITING_ON_INPUT");
  await s.cases.start({ id: "c-cancelling", jobId: "j-running", name: "cancelling" });
  await s.cases.handleEvent("c-cancelling", "CANCEL_REQUESTED");
}

/** Everything the services can read about the populated entities. */
async function readAll() {
  const s = t.services;
  const missions = ["m"];
  const jobs = ["j-running", "j-done", "j-stopped"];
  const cases = ["c-awaiting", "c-cancelling", "c-failed"];
  return {
    missions: await Promise.all(missions.map((id) => s.missions.get(id))),
    jobs: await Promise.all(jobs.map((id) => s.jobs.get(id))),
    cases: await Promise.all(cases.map((id) => s.cases.get(id))),
    updates: await s.cases.updatesOf(cases),
    transitions: {
      missions: await s.transitionPages("Mission", missions, { first: 500 }),
      jobs: await s.transitionPages("Job", jobs, { first: 500 }),
      cases: await s.transitionPages("Case", cases, { first: 500 }),
    },
    lists: {
      missions: await s.missions.list({}),
      jobs: await s.jobs.listJobs({}),
      cases: await s.cases.listCases({}),
    },
    running: await s.runningCounts(),
  };
}

describe("after a restart", () => {
  it("entities, steps, transitions and lists read back identical", async () => {
    await populate();
    const before = await readAll();
    expect(before.jobs.every((j) => j !== null)).toBe(true);

    t = await t.reopen();

    expect(await readAll()).toEqual(before);
  });

  it("runningCounts reports the running entities, before and after", async () => {
    await populate();
    const expected = { missions: 1, jobs: 1, cases: 2 };
    expect(await t.services.runningCounts()).toEqual(expected);
    t = await t.reopen();
    expect(await t.services.runningCounts()).toEqual(expected);
  });

  it("running entities carry on: further events, steps and edits work and extend the history", async () => {
    await populate();
    const awaitingBefore = (await t.services.cases.get("c-awaiting"))!;
    t = await t.reopen();
    const s = t.services;

    await s.cases.handleEvent("c-awaiting", "INPUT_RECEIVED", { expectedVersion: awaitingBefore.version });
    await s.cases.addUpdate("c-awaiting", { name: "answer", cost: 0.75, isFinal: true, payload: "42" });
    const completed = await s.cases.transition("c-awaiting", "COMPLETED");
    expect(completed).toMatchObject({
      status: "COMPLETED",
      totalCostMicros: 1_000_000,
      finalDelivery: "42",
      version: awaitingBefore.version + 3,
    });
    expect(completed.finishedAt).not.toBeNull();
    expect((await s.cases.updatesOf(["c-awaiting"])).get("c-awaiting")!.map((u) => u.index)).toEqual([0, 1]);
    expect((await transitionRows(t, "Case", "c-awaiting")).map((r) => r.event)).toEqual([
      "START_WORK",
      "AWAITING_ON_INPUT",
      "INPUT_RECEIVED",
      "SUCCESSFULLY_DONE",
    ]);

    await s.cases.handleEvent("c-cancelling", "CANCEL_CONFIRMED");
    await s.jobs.handleEvent("j-stopped", "START_WORK");
    // An idempotency key from before the restart is still remembered.
    const retried = await s.jobs.handleEvent("j-running", "START_WORK", { idempotencyKey: "start" });
    expect(retried.status).toBe("IN_PROGRESS");
    expect(await transitionRows(t, "Job", "j-running")).toHaveLength(1);
    await s.jobs.handleEvent("j-running", "SUCCESSFULLY_DONE");
    await s.missions.handleEvent("m", "SUCCESSFULLY_DONE");

    expect(await s.runningCounts()).toEqual({ missions: 0, jobs: 1, cases: 0 });
    t = await t.reopen();
    expect(await t.services.runningCounts()).toEqual({ missions: 0, jobs: 1, cases: 0 });
    expect(await t.services.cases.get("c-awaiting")).toEqual(completed);
  });

  it("terminal entities stay terminal", async () => {
    await populate();
    t = await t.reopen();
    await expectError(t.services.jobs.handleEvent("j-done", "START_WORK"), "INVALID_TRANSITION", {
      from: "COMPLETED",
      validEvents: [],
    });
    await expectError(t.services.cases.handleEvent("c-failed", "INPUT_RECEIVED"), "INVALID_TRANSITION", {
      from: "FAILED",
      validEvents: [],
    });
  });
});
