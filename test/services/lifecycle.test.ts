// The lifecycle through the services, on a real database: every row of the table on every
// entity type, the audit trail, finishedAt, startCase, case updates, versions and idempotency.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canTransition,
  ENTITY_EVENTS,
  ENTITY_STATUSES,
  type EntityStatus,
  eventForTarget,
  isTerminal,
  LIFECYCLE,
  validEvents,
} from "../../src/domain/lifecycle.js";
import { tickingClock } from "../support/database.js";
import { createIn, KINDS, serviceFor, transitionRows } from "../support/entities.js";
import { expectError } from "../support/errors.js";
import { snapshotRows } from "../support/rows.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
beforeAll(async () => {
  t = await openTestDatabase({ clock: tickingClock() });
});
afterAll(() => t.dispose());

const STORED_TYPE = { Mission: "MISSION", Job: "JOB", Case: "CASE" } as const;

describe("new entities", () => {
  it("start STOPPED at version 0 with metadata {} and no history", async () => {
    const mission = await t.services.missions.create({ name: "m" });
    const job = await t.services.jobs.create({ name: "j", agentName: "a" });
    for (const [kind, e] of [
      ["Mission", mission],
      ["Job", job],
    ] as const) {
      expect(e).toMatchObject({ status: "STOPPED", version: 0, metadata: {}, finishedAt: null });
      expect(e.updatedAt).toEqual(e.createdAt);
      expect(await transitionRows(t, kind, e.id)).toEqual([]);
      expect(await serviceFor(t.services, kind).get(e.id)).toEqual(e);
    }
    expect(mission.id).toMatch(/^mission-/);
    expect(job.id).toMatch(/^job-/);
    expect(job).toMatchObject({
      missionId: null,
      jobContext: null,
      payload: null,
      result: null,
      error: null,
      agentParameters: null,
    });
  });

  it("keep the metadata they are given, and reads of unknown ids give null", async () => {
    const metadata = { zeta: { b: [1], a: null }, a: "first?" };
    const mission = await t.services.missions.create({ id: "with-meta", name: "m", metadata });
    // Equal as values, not as text: PostgreSQL's jsonb keeps an object's keys in an order of its
    // own (shorter keys first), so a read may list them otherwise than the create did.
    expect((await t.services.missions.get(mission.id))!.metadata).toEqual(metadata);
    for (const kind of KINDS) expect(await serviceFor(t.services, kind).get("no-such-id")).toBeNull();
  });
});

describe.each(KINDS)("%s", (kind) => {
  const service = () => serviceFor(t.services, kind);

  describe.each(["handleEvent", "transition"] as const)("fired via %s", (how) => {
    it.each(LIFECYCLE.map((row) => ({ ...row })))("$event: $from -> $to", async ({ event, from, to }) => {
      const id = await createIn(t, kind, from);
      const before = (await service().get(id))!;
      const historyBefore = await transitionRows(t, kind, id);
      const options = { actor: "operator-7", reason: `because ${event}` };

      const result =
        how === "handleEvent"
          ? await service().handleEvent(id, event, options)
          : await service().transition(id, to, options);

      expect(result).toMatchObject({ id, status: to, version: before.version + 1 });
      expect(await service().get(id)).toEqual(result);
      // A job's or case's failure keeps its reason as the entity's error.
      const keepsError = kind !== "Mission" && (event === "ERROR_ENCOUNTERED" || event === "TIMEOUT_OR_ERROR");
      if (keepsError) expect(result).toMatchObject({ error: `because ${event}` });
      // Only status, version, updatedAt (and finishedAt, and a failure's error) move.
      expect({
        ...result,
        status: before.status,
        version: before.version,
        updatedAt: before.updatedAt,
        finishedAt: null,
        ...(keepsError ? { error: null } : {}),
      }).toEqual(before);
      expect(result.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());

      const history = await transitionRows(t, kind, id);
      expect(history).toHaveLength(historyBefore.length + 1);
      expect(history.slice(0, -1)).toEqual(historyBefore);
      const row = history.at(-1)!;
      expect(row).toMatchObject({
        entityType: STORED_TYPE[kind],
        event,
        fromStatus: from,
        toStatus: to,
        version: before.version + 1,
        actor: "operator-7",
        reason: `because ${event}`,
        idempotencyKey: null,
      });
      expect(new Date(row.at).getTime()).toBe(result.updatedAt.getTime());

      if (isTerminal(to)) expect(result.finishedAt).toEqual(result.updatedAt);
      else expect(result.finishedAt).toBeNull();
    });
  });

  it.each([...ENTITY_STATUSES])(
    "from %s, every event and target the table does not allow is INVALID_TRANSITION and writes nothing",
    async (from) => {
      const id = await createIn(t, kind, from);
      const before = await snapshotRows(t.database);
      const invalidEvents = ENTITY_EVENTS.filter((e) => !canTransition(from, e));
      const invalidTargets = ENTITY_STATUSES.filter((to) => eventForTarget(from, to) === undefined);
      expect(invalidTargets).toContain(from);

      for (const event of invalidEvents) {
        const error = await expectError(
          service().handleEvent(id, event, { actor: "x", idempotencyKey: `k-${event}` }),
          "INVALID_TRANSITION",
          {
            entityType: kind,
            id,
            from,
            event,
            validEvents: validEvents(from),
          },
        );
        expect(error.details).not.toHaveProperty("to");
      }
      for (const to of invalidTargets) {
        const error = await expectError(service().transition(id, to), "INVALID_TRANSITION", {
          id,
          from,
          to,
          validEvents: validEvents(from),
        });
        expect(error.details).not.toHaveProperty("event");
      }
      expect(await snapshotRows(t.database)).toEqual(before);
    },
  );

  describe("finishedAt", () => {
    it("stays null through running statuses and is set on entering a terminal one", async () => {
      const id = await createIn(t, kind, "AWAITING");
      const cancelling = await service().handleEvent(id, "CANCEL_WHILE_WAITING");
      expect(cancelling.finishedAt).toBeNull();
      const cancelled = await service().handleEvent(id, "CANCEL_CONFIRMED");
      expect(cancelled.finishedAt).toEqual(cancelled.updatedAt);
      expect(cancelled.finishedAt!.getTime()).toBeGreaterThan(cancelling.updatedAt.getTime());
    });

    it("is never overwritten: not by edits, retries or refused events", async () => {
      const id = await createIn(t, kind, "IN_PROGRESS");
      const done = await service().handleEvent(id, "SUCCESSFULLY_DONE", { idempotencyKey: "finish" });
      const finishedAt = done.finishedAt!;
      expect(finishedAt).toBeInstanceOf(Date);

      await expectError(service().update(id, { name: "renamed after finishing" }), "ENTITY_FINISHED");
      await service().handleEvent(id, "SUCCESSFULLY_DONE", { idempotencyKey: "finish" });
      await expectError(service().handleEvent(id, "ERROR_ENCOUNTERED"), "INVALID_TRANSITION");
      await expectError(service().transition(id, "CANCELLED"), "INVALID_TRANSITION");

      expect((await service().get(id))!.finishedAt).toEqual(finishedAt);
    });
  });

  describe("expectedVersion", () => {
    it("lets the event through at the current version and refuses any other with VERSION_CONFLICT, writing nothing", async () => {
      const id = await createIn(t, kind, "IN_PROGRESS");
      const current = (await service().get(id))!;
      const before = await snapshotRows(t.database);

      for (const stale of [current.version - 1, current.version + 1, 0]) {
        if (stale === current.version) continue;
        await expectError(
          service().handleEvent(id, "AWAITING_ON_INPUT", { expectedVersion: stale }),
          "VERSION_CONFLICT",
          {
            entityType: kind,
            id,
            expected: stale,
            actual: current.version,
          },
        );
        await expectError(service().transition(id, "AWAITING", { expectedVersion: stale }), "VERSION_CONFLICT", {
          expected: stale,
          actual: current.version,
        });
        await expectError(service().update(id, { name: "x" }, stale), "VERSION_CONFLICT", {
          expected: stale,
          actual: current.version,
        });
      }
      expect(await snapshotRows(t.database)).toEqual(before);

      const moved = await service().handleEvent(id, "AWAITING_ON_INPUT", { expectedVersion: current.version });
      expect(moved.version).toBe(current.version + 1);
      const edited = await service().update(id, { name: "edited" }, moved.version);
      expect(edited.version).toBe(moved.version + 1);
      const back = await service().transition(id, "IN_PROGRESS", { expectedVersion: edited.version });
      expect(back).toMatchObject({ status: "IN_PROGRESS", version: edited.version + 1, name: "edited" });
    });
  });

  describe("idempotencyKey", () => {
    it("a retry returns the entity and writes nothing, though the event is no longer valid", async () => {
      const id = await createIn(t, kind, "IN_PROGRESS");
      const first = await service().handleEvent(id, "AWAITING_ON_INPUT", { idempotencyKey: "await-1", actor: "a" });
      const after = await snapshotRows(t.database);
      expect(canTransition(first.status, "AWAITING_ON_INPUT")).toBe(false);

      const retry = await service().handleEvent(id, "AWAITING_ON_INPUT", { idempotencyKey: "await-1", actor: "a" });
      const retryAgain = await service().handleEvent(id, "AWAITING_ON_INPUT", {
        idempotencyKey: "await-1",
        expectedVersion: 0,
      });

      expect(retry).toEqual(first);
      expect(retryAgain).toEqual(first);
      expect(await snapshotRows(t.database)).toEqual(after);
      expect((await transitionRows(t, kind, id)).filter((r) => r.idempotencyKey === "await-1")).toHaveLength(1);
    });

    it("a retry after the entity moved on still writes nothing", async () => {
      const id = await createIn(t, kind, "IN_PROGRESS");
      await service().handleEvent(id, "AWAITING_ON_INPUT", { idempotencyKey: "await" });
      await service().handleEvent(id, "INPUT_RECEIVED");
      const before = await snapshotRows(t.database);

      const retry = await service().handleEvent(id, "AWAITING_ON_INPUT", { idempotencyKey: "await" });

      expect(retry.id).toBe(id);
      expect(await snapshotRows(t.database)).toEqual(before);
    });

    it("works the same for transitions by target", async () => {
      const id = await createIn(t, kind, "IN_PROGRESS");
      const first = await service().transition(id, "COMPLETED", { idempotencyKey: "done" });
      expect(await service().transition(id, "COMPLETED", { idempotencyKey: "done" })).toEqual(first);
      expect(await service().handleEvent(id, "SUCCESSFULLY_DONE", { idempotencyKey: "done" })).toEqual(first);
      expect((await transitionRows(t, kind, id)).filter((r) => r.event === "SUCCESSFULLY_DONE")).toHaveLength(1);
    });

    it("the same key with a different event or target is BAD_USER_INPUT and writes nothing", async () => {
      const id = await createIn(t, kind, "IN_PROGRESS");
      await service().handleEvent(id, "AWAITING_ON_INPUT", { idempotencyKey: "k" });
      const before = await snapshotRows(t.database);

      await expectError(service().handleEvent(id, "INPUT_RECEIVED", { idempotencyKey: "k" }), "BAD_USER_INPUT", {
        field: "idempotencyKey",
      });
      await expectError(service().transition(id, "IN_PROGRESS", { idempotencyKey: "k" }), "BAD_USER_INPUT", {
        field: "idempotencyKey",
      });

      expect(await snapshotRows(t.database)).toEqual(before);
    });

    it("is scoped to one entity: the same key on another entity is a new event", async () => {
      const a = await createIn(t, kind, "STOPPED");
      const b = await createIn(t, kind, "STOPPED");
      await service().handleEvent(a, "START_WORK", { idempotencyKey: "start" });
      const started = await service().handleEvent(b, "START_WORK", { idempotencyKey: "start" });
      expect(started.status).toBe("IN_PROGRESS");
      expect(await transitionRows(t, kind, b)).toHaveLength(1);
    });
  });
});

describe("the same id and key on different entity types", () => {
  it("are independent", async () => {
    const mission = await t.services.missions.create({ id: "shared-id", name: "m" });
    const job = await t.services.jobs.create({ id: "shared-id", name: "j", agentName: "a" });
    await t.services.missions.handleEvent(mission.id, "START_WORK", { idempotencyKey: "k" });
    const started = await t.services.jobs.handleEvent(job.id, "START_WORK", { idempotencyKey: "k" });
    expect(started.status).toBe("IN_PROGRESS");
    expect(await transitionRows(t, "Mission", "shared-id")).toHaveLength(1);
    expect(await transitionRows(t, "Job", "shared-id")).toHaveLength(1);
  });
});

describe("startCase", () => {
  it("creates the case STOPPED and moves it to IN_PROGRESS with START_WORK, recorded in its history", async () => {
    const job = await t.services.jobs.create({ name: "parent", agentName: "agent" });
    const started = await t.services.cases.start({
      jobId: job.id,
      id: "case-start-1",
      name: "first case",
      description: "d",
      metadata: { priority: 2 },
      actor: "planner",
      reason: "kick-off",
    });

    expect(started).toMatchObject({
      id: "case-start-1",
      jobId: job.id,
      name: "first case",
      description: "d",
      metadata: { priority: 2 },
      status: "IN_PROGRESS",
      version: 1,
      totalCostMicros: 0,
      finalDelivery: null,
      finishedAt: null,
    });
    expect(await t.services.cases.get(started.id)).toEqual(started);
    expect(await transitionRows(t, "Case", started.id)).toMatchObject([
      {
        entityType: "CASE",
        event: "START_WORK",
        fromStatus: "STOPPED",
        toStatus: "IN_PROGRESS",
        version: 1,
        actor: "planner",
        reason: "kick-off",
      },
    ]);
    expect(started.updatedAt.getTime()).toBeGreaterThanOrEqual(started.createdAt.getTime());
    // The job is not touched by starting a case on it.
    expect(await t.services.jobs.get(job.id)).toEqual(job);
  });

  it("is all or nothing: when the START_WORK step is refused, no stopped case is left behind", async () => {
    const job = await t.services.jobs.create({ name: "parent", agentName: "agent" });
    const before = await snapshotRows(t.database);

    await expectError(
      t.services.cases.start({ jobId: job.id, id: "half-started", name: "c", reason: "r".repeat(10_001) }),
      "BAD_USER_INPUT",
      {
        field: "reason",
      },
    );

    expect(await snapshotRows(t.database)).toEqual(before);
    expect(await t.services.cases.get("half-started")).toBeNull();
  });

  it("generates an id with the case prefix when none is given", async () => {
    const job = await t.services.jobs.create({ name: "parent", agentName: "agent" });
    const a = await t.services.cases.start({ jobId: job.id, name: "a" });
    const b = await t.services.cases.start({ jobId: job.id, name: "b" });
    expect(a.id).toMatch(/^case-/);
    expect(a.id).not.toBe(b.id);
  });
});

describe("addCaseUpdate", () => {
  async function startedCase() {
    const job = await t.services.jobs.create({ name: "parent", agentName: "agent" });
    return t.services.cases.start({ jobId: job.id, name: "case" });
  }

  it("appends ordered steps, adds their cost to totalCost and bumps the version, without transitions", async () => {
    const c = await startedCase();
    const a = await t.services.cases.addUpdate(c.id, { name: "plan", cost: 1.5, payload: { plan: ["a", "b"] } });
    const b = await t.services.cases.addUpdate(c.id, { name: "search", cost: 2.25 });
    const d = await t.services.cases.addUpdate(c.id, { name: "think", payload: "free text" });

    expect([a.totalCostMicros, b.totalCostMicros, d.totalCostMicros]).toEqual([1_500_000, 3_750_000, 3_750_000]);
    expect([a.version, b.version, d.version]).toEqual([c.version + 1, c.version + 2, c.version + 3]);
    expect(d.status).toBe("IN_PROGRESS");
    expect(await t.services.cases.get(c.id)).toEqual(d);
    expect(await transitionRows(t, "Case", c.id)).toHaveLength(1);

    const steps = (await t.services.cases.updatesOf([c.id])).get(c.id)!;
    expect(steps).toMatchObject([
      {
        caseId: c.id,
        index: 0,
        name: "plan",
        costMicros: 1_500_000,
        payload: { plan: ["a", "b"] },
        isFinal: false,
        error: null,
      },
      { caseId: c.id, index: 1, name: "search", costMicros: 2_250_000, payload: null, isFinal: false, error: null },
      { caseId: c.id, index: 2, name: "think", costMicros: null, payload: "free text", isFinal: false, error: null },
    ]);
    expect(steps[0]!.at.getTime()).toBeLessThan(steps[1]!.at.getTime());
    expect(steps[1]!.at.getTime()).toBeLessThan(steps[2]!.at.getTime());
  });

  it("keeps each case's steps apart", async () => {
    const c1 = await startedCase();
    const c2 = await startedCase();
    await t.services.cases.addUpdate(c1.id, { name: "one" });
    await t.services.cases.addUpdate(c2.id, { name: "two" });
    await t.services.cases.addUpdate(c1.id, { name: "three" });
    const steps = await t.services.cases.updatesOf([c1.id, c2.id, "no-such-case"]);
    expect(steps.get(c1.id)!.map((s) => [s.index, s.name])).toEqual([
      [0, "one"],
      [1, "three"],
    ]);
    expect(steps.get(c2.id)!.map((s) => [s.index, s.name])).toEqual([[0, "two"]]);
    expect(steps.get("no-such-case")).toEqual([]);
  });

  it("a final step's payload becomes the finalDelivery", async () => {
    const c = await startedCase();
    const done = await t.services.cases.addUpdate(c.id, { name: "answer", isFinal: true, payload: { answer: 42 } });
    expect(done.finalDelivery).toEqual({ answer: 42 });
    expect((await t.services.cases.get(c.id))!.finalDelivery).toEqual({ answer: 42 });
    expect((await t.services.cases.updatesOf([c.id])).get(c.id)![0]!.isFinal).toBe(true);
  });

  it("an error step fails the case with ERROR_ENCOUNTERED, recording the step and its cost", async () => {
    const c = await startedCase();
    const failed = await t.services.cases.addUpdate(c.id, {
      name: "call tool",
      cost: 0.5,
      error: "tool timed out",
      actor: "agent-9",
    });

    expect(failed).toMatchObject({ status: "FAILED", totalCostMicros: 500_000, version: c.version + 2 });
    expect(failed.finishedAt).toEqual(failed.updatedAt);
    expect(await t.services.cases.get(c.id)).toEqual(failed);
    expect((await transitionRows(t, "Case", c.id)).at(-1)).toMatchObject({
      event: "ERROR_ENCOUNTERED",
      fromStatus: "IN_PROGRESS",
      toStatus: "FAILED",
      version: failed.version,
      actor: "agent-9",
      reason: "tool timed out",
    });
    expect((await t.services.cases.updatesOf([c.id])).get(c.id)).toMatchObject([
      { index: 0, error: "tool timed out", costMicros: 500_000 },
    ]);
  });

  it.each(["STOPPED", "AWAITING", "CANCELLING"] as EntityStatus[])(
    "an error step on a %s case is INVALID_TRANSITION and writes nothing, not even the step",
    async (status) => {
      const id = await createIn(t, "Case", status);
      const before = await snapshotRows(t.database);

      await expectError(
        t.services.cases.addUpdate(id, { name: "late", cost: 3, error: "boom" }),
        "INVALID_TRANSITION",
        {
          entityType: "Case",
          id,
          from: status,
          event: "ERROR_ENCOUNTERED",
          validEvents: validEvents(status),
        },
      );

      expect(await snapshotRows(t.database)).toEqual(before);
    },
  );

  it.each(["COMPLETED", "FAILED", "CANCELLED"] as EntityStatus[])(
    "an error step on a %s case is ENTITY_FINISHED and writes nothing, not even the step",
    async (status) => {
      const id = await createIn(t, "Case", status);
      const before = await snapshotRows(t.database);

      await expectError(t.services.cases.addUpdate(id, { name: "late", cost: 3, error: "boom" }), "ENTITY_FINISHED", {
        entityType: "Case",
        id,
        status,
      });

      expect(await snapshotRows(t.database)).toEqual(before);
    },
  );
});
