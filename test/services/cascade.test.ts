// Cancels cascade: CANCEL_REQUESTED or CANCEL_WHILE_WAITING on a mission or job moves every
// running descendant (IN_PROGRESS, AWAITING) to CANCELLING in the same transaction, each with its
// own transition row saying where it came from; `cascade: false` opts out; the number of
// statements does not grow with the number of descendants; and children racing their own events
// against the cascade end either cancelled or refused cleanly, exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntityRecord } from "../../src/domain/entities.js";
import { DomainError } from "../../src/domain/errors.js";
import { type EntityStatus, isRunning } from "../../src/domain/lifecycle.js";
import { tickingClock } from "../support/database.js";
import { createIn, type Kind, serviceFor, transitionRows } from "../support/entities.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
beforeAll(async () => {
  t = await openTestDatabase({ clock: tickingClock() });
});
afterAll(() => t.dispose());

/** A running mission with jobs and cases in every status a cascade must tell apart. */
async function tree() {
  const mission = await createIn(t, "Mission", "IN_PROGRESS");
  const jobs: Record<string, string> = {};
  for (const status of ["STOPPED", "IN_PROGRESS", "AWAITING"] as const) {
    jobs[status] = await createIn(t, "Job", status, mission);
  }
  const cases: Record<string, string> = {};
  for (const status of ["IN_PROGRESS", "AWAITING", "CANCELLING", "COMPLETED", "FAILED"] as const) {
    cases[status] = await createIn(t, "Case", status, jobs.IN_PROGRESS);
  }
  // A running case under a job that is itself not running is a descendant all the same.
  cases.underStoppedJob = await createIn(t, "Case", "IN_PROGRESS", jobs.STOPPED);
  cases.stopped = await createIn(t, "Case", "STOPPED", jobs.AWAITING);
  // A job that finished while its case was still running, and one cancelled alone earlier.
  jobs.COMPLETED = await createIn(t, "Job", "IN_PROGRESS", mission);
  cases.underCompletedJob = await createIn(t, "Case", "AWAITING", jobs.COMPLETED);
  await t.services.jobs.handleEvent(jobs.COMPLETED, "SUCCESSFULLY_DONE");
  jobs.CANCELLING = await createIn(t, "Job", "IN_PROGRESS", mission);
  await t.services.jobs.handleEvent(jobs.CANCELLING, "CANCEL_REQUESTED", { cascade: false });
  // Work elsewhere that no cascade of this mission may touch.
  const otherJob = await createIn(t, "Job", "IN_PROGRESS");
  const otherCase = await createIn(t, "Case", "IN_PROGRESS", otherJob);
  return { mission, jobs, cases, otherJob, otherCase };
}

async function read(kind: Kind, id: string): Promise<EntityRecord> {
  return (await serviceFor(t.services, kind).get(id))!;
}

async function statuses(kind: Kind, ids: Record<string, string>): Promise<Record<string, EntityStatus>> {
  const out: Record<string, EntityStatus> = {};
  for (const [key, id] of Object.entries(ids)) out[key] = (await read(kind, id)).status;
  return out;
}

describe("a cancel of a mission", () => {
  it("moves every running job and case under it to CANCELLING, each with its own transition row", async () => {
    const e = await tree();
    const versionsBefore = new Map<string, number>();
    for (const id of [...Object.values(e.jobs), ...Object.values(e.cases)]) {
      versionsBefore.set(id, (await read(id.startsWith("job") ? "Job" : "Case", id)).version);
    }

    const mission = await t.services.missions.handleEvent(e.mission, "CANCEL_REQUESTED", {
      actor: "alice",
      reason: "budget cut",
    });
    expect(mission.status).toBe("CANCELLING");

    expect(await statuses("Job", e.jobs)).toEqual({
      STOPPED: "STOPPED",
      IN_PROGRESS: "CANCELLING",
      AWAITING: "CANCELLING",
      COMPLETED: "COMPLETED",
      CANCELLING: "CANCELLING",
    });
    expect(await statuses("Case", e.cases)).toEqual({
      IN_PROGRESS: "CANCELLING",
      AWAITING: "CANCELLING",
      CANCELLING: "CANCELLING",
      COMPLETED: "COMPLETED",
      FAILED: "FAILED",
      underStoppedJob: "CANCELLING",
      stopped: "STOPPED",
      underCompletedJob: "CANCELLING",
    });
    expect((await read("Job", e.otherJob)).status).toBe("IN_PROGRESS");
    expect((await read("Case", e.otherCase)).status).toBe("IN_PROGRESS");

    const reason = `cancelled with its mission "${e.mission}" (CANCEL_REQUESTED by alice): budget cut`;
    const moved: [Kind, string, EntityStatus][] = [
      ["Job", e.jobs.IN_PROGRESS!, "IN_PROGRESS"],
      ["Job", e.jobs.AWAITING!, "AWAITING"],
      ["Case", e.cases.IN_PROGRESS!, "IN_PROGRESS"],
      ["Case", e.cases.AWAITING!, "AWAITING"],
      ["Case", e.cases.underStoppedJob!, "IN_PROGRESS"],
      ["Case", e.cases.underCompletedJob!, "AWAITING"],
    ];
    for (const [kind, id, from] of moved) {
      const entity = await read(kind, id);
      // One transition: one version, at the parent's time.
      expect(entity.version).toBe(versionsBefore.get(id)! + 1);
      expect(entity.updatedAt).toEqual(mission.updatedAt);
      const last = (await transitionRows(t, kind, id)).at(-1)!;
      expect(last).toMatchObject({
        event: from === "AWAITING" ? "CANCEL_WHILE_WAITING" : "CANCEL_REQUESTED",
        fromStatus: from,
        toStatus: "CANCELLING",
        version: entity.version,
        actor: `Mission:${e.mission}`,
        reason,
        idempotencyKey: null,
      });
      expect(last.at).toEqual(mission.updatedAt);
    }
    // Those it did not move kept their version.
    for (const id of [e.jobs.STOPPED!, e.jobs.COMPLETED!, e.jobs.CANCELLING!]) {
      expect((await read("Job", id)).version).toBe(versionsBefore.get(id));
    }
    for (const id of [e.cases.CANCELLING!, e.cases.COMPLETED!, e.cases.FAILED!, e.cases.stopped!]) {
      expect((await read("Case", id)).version).toBe(versionsBefore.get(id));
    }
  });

  it("by target status (transitionMission to CANCELLING) cascades the same way", async () => {
    const e = await tree();
    await t.services.missions.transition(e.mission, "CANCELLING");
    expect((await read("Job", e.jobs.IN_PROGRESS!)).status).toBe("CANCELLING");
    expect((await read("Case", e.cases.AWAITING!)).status).toBe("CANCELLING");
  });

  it("from AWAITING (CANCEL_WHILE_WAITING) cascades too, and says so", async () => {
    const e = await tree();
    await t.services.missions.handleEvent(e.mission, "AWAITING_ON_INPUT");
    await t.services.missions.handleEvent(e.mission, "CANCEL_WHILE_WAITING");
    const last = (await transitionRows(t, "Job", e.jobs.IN_PROGRESS!)).at(-1)!;
    expect(last).toMatchObject({
      event: "CANCEL_REQUESTED",
      actor: `Mission:${e.mission}`,
      reason: `cancelled with its mission "${e.mission}" (CANCEL_WHILE_WAITING)`,
    });
  });

  it("with cascade: false moves the mission alone", async () => {
    const e = await tree();
    const jobsBefore = await statuses("Job", e.jobs);
    const casesBefore = await statuses("Case", e.cases);
    await t.services.missions.handleEvent(e.mission, "CANCEL_REQUESTED", { cascade: false });
    expect((await read("Mission", e.mission)).status).toBe("CANCELLING");
    expect(await statuses("Job", e.jobs)).toEqual(jobsBefore);
    expect(await statuses("Case", e.cases)).toEqual(casesBefore);
  });

  it("retried with its idempotency key writes nothing more", async () => {
    const e = await tree();
    await t.services.missions.handleEvent(e.mission, "CANCEL_REQUESTED", { idempotencyKey: "cancel-1" });
    const job = await read("Job", e.jobs.IN_PROGRESS!);
    // A job started meanwhile (it cannot: the mission is CANCELLING) or moved by hand stays as it is.
    const history = await transitionRows(t, "Job", e.jobs.IN_PROGRESS!);
    await t.services.missions.handleEvent(e.mission, "CANCEL_REQUESTED", { idempotencyKey: "cancel-1" });
    expect(await read("Job", e.jobs.IN_PROGRESS!)).toEqual(job);
    expect(await transitionRows(t, "Job", e.jobs.IN_PROGRESS!)).toEqual(history);
  });

  it("leaves STOPPED jobs unable to start, and their cases too", async () => {
    const e = await tree();
    await t.services.missions.handleEvent(e.mission, "CANCEL_REQUESTED");
    const details = { entityType: "Mission", id: e.mission, status: "CANCELLING" };
    await expect(t.services.jobs.handleEvent(e.jobs.STOPPED!, "START_WORK")).rejects.toMatchObject({ details });
    await expect(t.services.cases.handleEvent(e.cases.stopped!, "START_WORK")).rejects.toMatchObject({
      code: "ENTITY_FINISHED",
    });
  });

  it("clears the deadline of the waits it cancels", async () => {
    const mission = await createIn(t, "Mission", "IN_PROGRESS");
    const job = await createIn(t, "Job", "IN_PROGRESS", mission);
    await t.services.jobs.handleEvent(job, "AWAITING_ON_INPUT", { timeoutSeconds: 60 });
    expect((await read("Job", job)).awaitingUntil).not.toBeNull();
    await t.services.missions.handleEvent(mission, "CANCEL_REQUESTED");
    expect(await read("Job", job)).toMatchObject({ status: "CANCELLING", awaitingUntil: null });
  });
});

describe("a cancel of a job", () => {
  it("moves its running cases, and nothing above or beside it", async () => {
    const mission = await createIn(t, "Mission", "IN_PROGRESS");
    const job = await createIn(t, "Job", "IN_PROGRESS", mission);
    const sibling = await createIn(t, "Job", "IN_PROGRESS", mission);
    const running = await createIn(t, "Case", "IN_PROGRESS", job);
    const waiting = await createIn(t, "Case", "AWAITING", job);
    const siblingCase = await createIn(t, "Case", "IN_PROGRESS", sibling);

    await t.services.jobs.handleEvent(job, "CANCEL_REQUESTED", { actor: "bob" });

    expect((await read("Case", running)).status).toBe("CANCELLING");
    expect((await read("Case", waiting)).status).toBe("CANCELLING");
    expect((await transitionRows(t, "Case", waiting)).at(-1)).toMatchObject({
      event: "CANCEL_WHILE_WAITING",
      actor: `Job:${job}`,
      reason: `cancelled with its job "${job}" (CANCEL_REQUESTED by bob)`,
    });
    expect((await read("Mission", mission)).status).toBe("IN_PROGRESS");
    expect((await read("Job", sibling)).status).toBe("IN_PROGRESS");
    expect((await read("Case", siblingCase)).status).toBe("IN_PROGRESS");
  });
});

describe("the cost of a cascade", () => {
  async function statementsToCancel(children: number): Promise<number> {
    const mission = await createIn(t, "Mission", "IN_PROGRESS");
    for (let i = 0; i < children; i++) {
      const job = await createIn(t, "Job", "IN_PROGRESS", mission);
      await createIn(t, "Case", "IN_PROGRESS", job);
    }
    const before = t.database.statementsExecuted;
    await t.services.missions.handleEvent(mission, "CANCEL_REQUESTED");
    return t.database.statementsExecuted - before;
  }

  it("does not grow with the number of descendants: a set-based statement or two per level", async () => {
    const few = await statementsToCancel(1);
    const many = await statementsToCancel(12);
    expect(many).toBe(few);
  });

  it("a START_WORK that its parents allow costs what any other event costs", async () => {
    const mission = await createIn(t, "Mission", "IN_PROGRESS");
    const job = await createIn(t, "Job", "STOPPED", mission);
    const other = await createIn(t, "Job", "IN_PROGRESS", mission);
    let before = t.database.statementsExecuted;
    await t.services.jobs.handleEvent(job, "START_WORK");
    const start = t.database.statementsExecuted - before;
    before = t.database.statementsExecuted;
    await t.services.jobs.handleEvent(other, "AWAITING_ON_INPUT");
    expect(start).toBe(t.database.statementsExecuted - before);
  });
});

describe("children racing their own events against a cascade", () => {
  /** Whatever a child's own event ended as: applied, or one of the clean refusals. */
  async function outcome(work: Promise<unknown>): Promise<string> {
    try {
      await work;
      return "applied";
    } catch (error) {
      if (error instanceof DomainError && ["INVALID_TRANSITION", "ENTITY_FINISHED"].includes(error.code)) {
        return error.code;
      }
      throw error;
    }
  }

  // All at once through one process: on PostgreSQL each call takes its own pooled connection;
  // on SQLite they interleave wherever they await, between a read and its write.
  it("end cancelled or refused, each move recorded once", async () => {
    const racer = t.services;
    for (let round = 0; round < 3; round++) {
      const mission = await createIn(t, "Mission", "IN_PROGRESS");
      const running: string[] = [];
      const stopped: string[] = [];
      const cases: string[] = [];
      for (let i = 0; i < 4; i++) {
        const job = await createIn(t, "Job", "IN_PROGRESS", mission);
        running.push(job);
        cases.push(await createIn(t, "Case", "IN_PROGRESS", job));
        stopped.push(await createIn(t, "Job", "STOPPED", mission));
      }
      const ownEvents = ["SUCCESSFULLY_DONE", "AWAITING_ON_INPUT", "CANCEL_REQUESTED", "ERROR_ENCOUNTERED"] as const;
      const results = await Promise.all([
        t.services.missions.handleEvent(mission, "CANCEL_REQUESTED").then(() => "applied"),
        ...running.map((id, i) => outcome(racer.jobs.handleEvent(id, ownEvents[i]!, { cascade: false }))),
        ...stopped.map((id) => outcome(racer.jobs.handleEvent(id, "START_WORK"))),
        ...cases.map((id) => outcome(racer.cases.addUpdate(id, { name: "racing step", cost: 1 }))),
      ]);
      expect(results[0]).toBe("applied");

      // Nothing under the cancelled mission is left running but on its way out.
      for (const [kind, id] of [
        ...running.map((id) => ["Job", id] as const),
        ...stopped.map((id) => ["Job", id] as const),
        ...cases.map((id) => ["Case", id] as const),
      ]) {
        const entity = await read(kind, id);
        expect(isRunning(entity.status) ? entity.status : "not running", `${kind} ${id}`).toMatch(
          /CANCELLING|not running/,
        );
        // The history is one unbroken chain: every move once, the version its length.
        const history = await transitionRows(t, kind, id);
        expect(entity.version - (kind === "Case" ? await stepsOf(id) : 0)).toBe(history.length);
        for (let i = 1; i < history.length; i++) expect(history[i]!.fromStatus).toBe(history[i - 1]!.toStatus);
        expect(history.filter((row) => row.toStatus === "CANCELLING").length).toBeLessThanOrEqual(1);
        expect(history.at(-1)?.toStatus ?? "STOPPED").toBe(entity.status);
      }
      // A STOPPED job either started before the cancel (and was cascaded) or was refused.
      for (const [i, id] of stopped.entries()) {
        const status = (await read("Job", id)).status;
        expect([results[1 + running.length + i] === "applied" ? "CANCELLING" : "STOPPED"]).toContain(status);
      }
    }
  });

  async function stepsOf(caseId: string): Promise<number> {
    return (await t.services.cases.updatesOf([caseId])).get(caseId)!.length;
  }
});
