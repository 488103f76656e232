// Waits time out: AWAITING_ON_INPUT with `timeoutSeconds` or `awaitingUntil` sets a deadline,
// shown on the entity; once it has passed, a sweep fires TIMEOUT_OR_ERROR (reason: which deadline
// passed), exactly once even with several processes sweeping; input after the deadline is
// INVALID_TRANSITION. Time is a clock the test moves.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deadlineReason, MAX_TIMEOUT_SECONDS } from "../../src/domain/deadlines.js";
import { createIn, KINDS, type Kind, serviceFor, transitionRows } from "../support/entities.js";
import { expectError } from "../support/errors.js";
import { runTogether, startWorker } from "../support/processes.js";
import { snapshotRows } from "../support/rows.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let now = Date.parse("2026-03-01T12:00:00.000Z");
const clock = () => new Date(now);
const advance = (seconds: number) => {
  now += seconds * 1000;
};

let t: DatabaseWithServices;
beforeAll(async () => {
  t = await openTestDatabase({ clock });
});
afterAll(() => t.dispose());
// Each test starts with nothing left due from the one before.
beforeEach(async () => {
  advance(10 * MAX_TIMEOUT_SECONDS);
  await t.services.sweepDeadlines();
});

describe.each(KINDS)("a %s waiting with a deadline", (kind: Kind) => {
  const service = () => serviceFor(t.services, kind);

  it("shows it, keeps it through the sweeps before it, and fails once when it has passed", async () => {
    const id = await createIn(t, kind, "IN_PROGRESS");
    const waiting = await service().handleEvent(id, "AWAITING_ON_INPUT", { timeoutSeconds: 30 });
    const deadline = new Date(now + 30_000);
    expect(waiting).toMatchObject({ status: "AWAITING", awaitingUntil: deadline });
    expect(await service().get(id)).toEqual(waiting);

    advance(29);
    expect(await t.services.sweepDeadlines()).toBe(0);
    expect(await service().get(id)).toEqual(waiting);

    advance(1);
    expect(await t.services.sweepDeadlines()).toBe(1);
    const failed = (await service().get(id))!;
    expect(failed).toMatchObject({
      status: "FAILED",
      version: waiting.version + 1,
      awaitingUntil: null,
      updatedAt: new Date(now),
      finishedAt: new Date(now),
    });
    if (kind !== "Mission") expect(failed).toMatchObject({ error: deadlineReason(deadline) });
    expect((await transitionRows(t, kind, id)).at(-1)).toMatchObject({
      event: "TIMEOUT_OR_ERROR",
      fromStatus: "AWAITING",
      toStatus: "FAILED",
      version: failed.version,
      at: new Date(now),
      actor: "casebook",
      reason: `the deadline ${deadline.toISOString()} passed without input`,
    });

    // Once: the next sweeps find nothing, and input now is too late.
    advance(60);
    expect(await t.services.sweepDeadlines()).toBe(0);
    const before = await snapshotRows(t.database);
    await expectError(service().handleEvent(id, "INPUT_RECEIVED"), "INVALID_TRANSITION", { from: "FAILED" });
    expect(await snapshotRows(t.database)).toEqual(before);
  });

  it("takes an absolute awaitingUntil", async () => {
    const id = await createIn(t, kind, "IN_PROGRESS");
    const until = new Date(now + 3_600_000);
    expect(await service().handleEvent(id, "AWAITING_ON_INPUT", { awaitingUntil: until })).toMatchObject({
      awaitingUntil: until,
    });
    advance(3600);
    expect(await t.services.sweepDeadlines()).toBe(1);
    expect((await service().get(id))!.status).toBe("FAILED");
  });

  it("input before the deadline ends the wait: the deadline is cleared and no timeout fires", async () => {
    const id = await createIn(t, kind, "IN_PROGRESS");
    await service().handleEvent(id, "AWAITING_ON_INPUT", { timeoutSeconds: 10 });
    advance(9);
    const resumed = await service().handleEvent(id, "INPUT_RECEIVED");
    expect(resumed).toMatchObject({ status: "IN_PROGRESS", awaitingUntil: null });
    advance(3600);
    expect(await t.services.sweepDeadlines()).toBe(0);
    expect(await service().get(id)).toEqual(resumed);
  });

  it("input after the deadline is INVALID_TRANSITION even before a sweep has fired the timeout", async () => {
    const id = await createIn(t, kind, "IN_PROGRESS");
    await service().handleEvent(id, "AWAITING_ON_INPUT", { timeoutSeconds: 10 });
    advance(10);
    const before = await snapshotRows(t.database);
    await expectError(service().handleEvent(id, "INPUT_RECEIVED"), "INVALID_TRANSITION", {
      from: "AWAITING",
      event: "INPUT_RECEIVED",
      validEvents: ["TIMEOUT_OR_ERROR", "CANCEL_WHILE_WAITING"],
    });
    await expectError(service().transition(id, "IN_PROGRESS"), "INVALID_TRANSITION");
    expect(await snapshotRows(t.database)).toEqual(before);
    expect(await t.services.sweepDeadlines()).toBe(1);
  });

  it("a wait without a deadline never times out", async () => {
    const id = await createIn(t, kind, "AWAITING");
    expect((await service().get(id))!.awaitingUntil).toBeNull();
    advance(10 * MAX_TIMEOUT_SECONDS);
    await t.services.sweepDeadlines();
    expect((await service().get(id))!.status).toBe("AWAITING");
  });
});

describe("deadline options that make no sense", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["zero seconds", { timeoutSeconds: 0 }, "timeoutSeconds"],
    ["negative seconds", { timeoutSeconds: -5 }, "timeoutSeconds"],
    ["a fraction of a second", { timeoutSeconds: 1.5 }, "timeoutSeconds"],
    ["more than ten years", { timeoutSeconds: MAX_TIMEOUT_SECONDS + 1 }, "timeoutSeconds"],
    ["a time in the past", { awaitingUntil: new Date(Date.parse("2000-01-01T00:00:00Z")) }, "awaitingUntil"],
    [
      "both at once",
      { timeoutSeconds: 5, awaitingUntil: new Date(Date.parse("2999-01-01T00:00:00Z")) },
      "awaitingUntil",
    ],
  ];
  it.each(cases)("%s is BAD_USER_INPUT and writes nothing", async (_name, options, field) => {
    const id = await createIn(t, "Job", "IN_PROGRESS");
    const before = await snapshotRows(t.database);
    await expectError(t.services.jobs.handleEvent(id, "AWAITING_ON_INPUT", options), "BAD_USER_INPUT", { field });
    expect(await snapshotRows(t.database)).toEqual(before);
  });

  it("a deadline with any other event is BAD_USER_INPUT and writes nothing", async () => {
    const id = await createIn(t, "Job", "IN_PROGRESS");
    const before = await snapshotRows(t.database);
    await expectError(t.services.jobs.handleEvent(id, "SUCCESSFULLY_DONE", { timeoutSeconds: 5 }), "BAD_USER_INPUT", {
      field: "timeoutSeconds",
    });
    expect(await snapshotRows(t.database)).toEqual(before);
  });
});

describe("several processes sweeping one database at once", () => {
  it("fire each timeout exactly once", async () => {
    const waits = 60;
    const ids: string[] = [];
    for (let i = 0; i < waits; i++) {
      const kind = KINDS[i % 3]!;
      const id = await createIn(t, kind, "IN_PROGRESS");
      await serviceFor(t.services, kind).handleEvent(id, "AWAITING_ON_INPUT", { timeoutSeconds: 1 + (i % 5) });
      ids.push(id);
    }
    advance(10);
    const results = await runTogether(
      ["a", "b", "c"].map(() => startWorker("sweep-worker.ts", [t.url, new Date(now).toISOString(), "5"])),
    );
    const done = results.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return r.messages.find((m) => m.type === "done") as unknown as { moved: number; errors: number };
    });
    expect(done.map((d) => d.errors)).toEqual([0, 0, 0]);
    expect(done.reduce((sum, d) => sum + d.moved, 0)).toBe(waits);
    for (const [i, id] of ids.entries()) {
      const kind = KINDS[i % 3]!;
      const timeouts = (await transitionRows(t, kind, id)).filter((row) => row.event === "TIMEOUT_OR_ERROR");
      expect(timeouts, `${kind} ${id}`).toHaveLength(1);
      expect((await serviceFor(t.services, kind).get(id))!.status).toBe("FAILED");
    }
  });
});
