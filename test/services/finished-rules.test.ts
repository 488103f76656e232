// Finished is final, and parents bound children: a terminal entity takes no edits, steps or new
// children (ENTITY_FINISHED), a parent that is CANCELLING or terminal takes no new or starting
// children (ENTITY_FINISHED naming the parent), events stay INVALID_TRANSITION, delete still
// works, and every refusal leaves every row as it was. A failure's reason is kept as the job's or
// case's error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EntityStatus, TERMINAL_STATUSES } from "../../src/domain/lifecycle.js";
import { tickingClock } from "../support/database.js";
import { createIn, KINDS, serviceFor } from "../support/entities.js";
import { expectError } from "../support/errors.js";
import { snapshotRows } from "../support/rows.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
beforeAll(async () => {
  t = await openTestDatabase({ clock: tickingClock() });
});
afterAll(() => t.dispose());

const CLOSED_PARENT: EntityStatus[] = ["CANCELLING", ...TERMINAL_STATUSES];

/** Runs `refuse`, expecting ENTITY_FINISHED with `details`, and checks that no row changed. */
async function refusedAsFinished(refuse: () => Promise<unknown>, details: Record<string, unknown>) {
  const before = await snapshotRows(t.database);
  await expectError(refuse, "ENTITY_FINISHED", details);
  expect(await snapshotRows(t.database)).toEqual(before);
}

/** Moves an IN_PROGRESS mission or job to a closed `status`, leaving its children as they are. */
async function closeParent(kind: "Mission" | "Job", id: string, status: EntityStatus) {
  const service = serviceFor(t.services, kind);
  if (status === "CANCELLING" || status === "CANCELLED") {
    await service.handleEvent(id, "CANCEL_REQUESTED", { cascade: false });
    if (status === "CANCELLED") await service.handleEvent(id, "CANCEL_CONFIRMED");
  } else {
    await service.handleEvent(id, status === "COMPLETED" ? "SUCCESSFULLY_DONE" : "ERROR_ENCOUNTERED");
  }
}

/** A mission moved to `status` once it holds a STOPPED job and an IN_PROGRESS one. */
async function missionWithJobs(status: EntityStatus) {
  const missionId = await createIn(t, "Mission", "IN_PROGRESS");
  const stoppedJob = await createIn(t, "Job", "STOPPED", missionId);
  const runningJob = await createIn(t, "Job", "IN_PROGRESS", missionId);
  await closeParent("Mission", missionId, status);
  return { missionId, stoppedJob, runningJob };
}

/** A job moved to `status` once it holds a STOPPED case. */
async function jobWithStoppedCase(status: EntityStatus) {
  const jobId = await createIn(t, "Job", "IN_PROGRESS");
  const caseId = await createIn(t, "Case", "STOPPED", jobId);
  await closeParent("Job", jobId, status);
  return { jobId, caseId };
}

describe.each(KINDS)("a %s that is finished", (kind) => {
  describe.each(TERMINAL_STATUSES)("%s", (status) => {
    it("refuses edits with ENTITY_FINISHED naming it, even with its current version", async () => {
      const id = await createIn(t, kind, status);
      const { version } = (await serviceFor(t.services, kind).get(id))!;
      const details = { entityType: kind, id, status };
      await refusedAsFinished(() => serviceFor(t.services, kind).update(id, { name: "renamed" }), details);
      await refusedAsFinished(() => serviceFor(t.services, kind).update(id, { name: "renamed" }, version), details);
    });

    it("still answers events with INVALID_TRANSITION and no valid events", async () => {
      const id = await createIn(t, kind, status);
      const before = await snapshotRows(t.database);
      await expectError(serviceFor(t.services, kind).handleEvent(id, "START_WORK"), "INVALID_TRANSITION", {
        from: status,
        validEvents: [],
      });
      expect(await snapshotRows(t.database)).toEqual(before);
    });

    it("can still be deleted", async () => {
      const id = await createIn(t, kind, status);
      expect(await serviceFor(t.services, kind).delete(id)).toBe(true);
      expect(await serviceFor(t.services, kind).get(id)).toBeNull();
    });
  });
});

describe.each(TERMINAL_STATUSES)("a %s case", (status) => {
  it("takes no steps, with or without cost or error: its cost, delivery and history stay as they were", async () => {
    const id = await createIn(t, "Case", status);
    const details = { entityType: "Case", id, status };
    await refusedAsFinished(() => t.services.cases.addUpdate(id, { name: "late", cost: 5 }), details);
    await refusedAsFinished(
      () => t.services.cases.addUpdate(id, { name: "late", isFinal: true, payload: { answer: 1 } }),
      details,
    );
    await refusedAsFinished(() => t.services.cases.addUpdate(id, { name: "late", error: "boom" }), details);
    await refusedAsFinished(() => t.services.cases.update(id, { finalDelivery: { changed: true } }), details);
  });
});

describe.each(CLOSED_PARENT)("a mission that is %s", (status) => {
  it("takes no new job: ENTITY_FINISHED names the mission", async () => {
    const { missionId } = await missionWithJobs(status);
    await refusedAsFinished(() => t.services.jobs.create({ name: "late job", agentName: "a", missionId }), {
      entityType: "Mission",
      id: missionId,
      status,
    });
  });

  it("lets none of its STOPPED jobs start, by event or by target status", async () => {
    const { missionId, stoppedJob } = await missionWithJobs(status);
    const details = { entityType: "Mission", id: missionId, status };
    await refusedAsFinished(() => t.services.jobs.handleEvent(stoppedJob, "START_WORK"), details);
    await refusedAsFinished(() => t.services.jobs.transition(stoppedJob, "IN_PROGRESS"), details);
  });

  it("takes no new case on its jobs, running or not: ENTITY_FINISHED names the mission", async () => {
    const { missionId, stoppedJob, runningJob } = await missionWithJobs(status);
    for (const jobId of [stoppedJob, runningJob]) {
      await refusedAsFinished(() => t.services.cases.start({ jobId, name: "late case" }), {
        entityType: "Mission",
        id: missionId,
        status,
      });
    }
  });
});

describe.each(CLOSED_PARENT)("a job that is %s", (status) => {
  it("takes no new case and lets no STOPPED case start: ENTITY_FINISHED names the job", async () => {
    const { jobId, caseId } = await jobWithStoppedCase(status);
    const details = { entityType: "Job", id: jobId, status };
    await refusedAsFinished(() => t.services.cases.start({ jobId, name: "late case" }), details);
    await refusedAsFinished(() => t.services.cases.handleEvent(caseId, "START_WORK"), details);
    await refusedAsFinished(() => t.services.cases.transition(caseId, "IN_PROGRESS"), details);
  });
});

describe("open parents", () => {
  it("take children as before: a job in a running mission starts, and so does a case on a STOPPED job", async () => {
    const missionId = await createIn(t, "Mission", "AWAITING");
    const jobId = await createIn(t, "Job", "STOPPED", missionId);
    const caseId = (await t.services.cases.start({ jobId, name: "c" })).id;
    expect((await t.services.cases.get(caseId))!.status).toBe("IN_PROGRESS");
    expect((await t.services.jobs.handleEvent(jobId, "START_WORK")).status).toBe("IN_PROGRESS");
  });
});

describe("a failure's reason is kept where users look", () => {
  it.each(["ERROR_ENCOUNTERED", "TIMEOUT_OR_ERROR"] as const)("%s with a reason sets job.error", async (event) => {
    const id = await createIn(t, "Job", event === "ERROR_ENCOUNTERED" ? "IN_PROGRESS" : "AWAITING");
    const failed = await t.services.jobs.handleEvent(id, event, { reason: "the tool is down" });
    expect(failed).toMatchObject({ status: "FAILED", error: "the tool is down" });
    expect(await t.services.jobs.get(id)).toEqual(failed);
  });

  it.each(["ERROR_ENCOUNTERED", "TIMEOUT_OR_ERROR"] as const)(
    "%s with a reason sets the case's error",
    async (event) => {
      const id = await createIn(t, "Case", event === "ERROR_ENCOUNTERED" ? "IN_PROGRESS" : "AWAITING");
      const failed = await t.services.cases.handleEvent(id, event, { reason: "no answer from the user" });
      expect(failed).toMatchObject({ status: "FAILED", error: "no answer from the user" });
      expect(await t.services.cases.get(id)).toEqual(failed);
    },
  );

  it("a step with an error is the case's error as well as its failing step", async () => {
    const id = await createIn(t, "Case", "IN_PROGRESS");
    const failed = await t.services.cases.addUpdate(id, { name: "fetch", error: "HTTP 500 from the source" });
    expect(failed).toMatchObject({ status: "FAILED", error: "HTTP 500 from the source" });
    expect((await t.services.cases.updatesOf([id])).get(id)).toMatchObject([{ error: "HTTP 500 from the source" }]);
  });

  it("a failure without a reason leaves an error set earlier as it was", async () => {
    const id = await createIn(t, "Job", "IN_PROGRESS");
    await t.services.jobs.update(id, { error: "retrying after a timeout" });
    expect(await t.services.jobs.handleEvent(id, "ERROR_ENCOUNTERED")).toMatchObject({
      error: "retrying after a timeout",
    });
  });
});
