// The pure rules around status changes: which parents are closed, which events cascade and what
// their rows say, and what deadline an event sets.
import { describe, expect, it } from "vitest";
import { cascadeAudit, cascadesCancel } from "../../src/domain/cascade-rules.js";
import { deadlineOf, deadlinePassed, deadlineReason, MAX_TIMEOUT_SECONDS } from "../../src/domain/deadlines.js";
import { BadUserInputError } from "../../src/domain/errors.js";
import { closedAncestor, isClosedParent } from "../../src/domain/finished-rules.js";
import { ENTITY_EVENTS, ENTITY_STATUSES } from "../../src/domain/lifecycle.js";

const now = new Date("2026-05-01T10:00:00.000Z");

describe("closed parents", () => {
  it("are CANCELLING and the terminal statuses", () => {
    expect(ENTITY_STATUSES.filter(isClosedParent)).toEqual(["CANCELLING", "COMPLETED", "FAILED", "CANCELLED"]);
  });

  it("the nearest closed ancestor is the one named", () => {
    expect(
      closedAncestor([
        { entityType: "Job", id: "j", status: "CANCELLING" },
        { entityType: "Mission", id: "m", status: "FAILED" },
      ]),
    ).toEqual({ entityType: "Job", id: "j", status: "CANCELLING" });
    expect(closedAncestor([{ entityType: "Job", id: "j", status: "IN_PROGRESS" }])).toBeUndefined();
  });
});

describe("cascades", () => {
  it("come from the two cancel events on missions and jobs, unless turned off", () => {
    const cascading = (type: "Mission" | "Job" | "Case", cascade = true) =>
      ENTITY_EVENTS.filter((event) => cascadesCancel(type, event, cascade));
    expect(cascading("Mission")).toEqual(["CANCEL_REQUESTED", "CANCEL_WHILE_WAITING"]);
    expect(cascading("Job")).toEqual(["CANCEL_REQUESTED", "CANCEL_WHILE_WAITING"]);
    expect(cascading("Case")).toEqual([]);
    expect(cascading("Mission", false)).toEqual([]);
  });

  it("name the parent as actor, and say who asked and why", () => {
    expect(cascadeAudit("Job", "j-1", "CANCEL_WHILE_WAITING", "ops", "wrong input")).toEqual({
      actor: "Job:j-1",
      reason: 'cancelled with its job "j-1" (CANCEL_WHILE_WAITING by ops): wrong input',
    });
    expect(cascadeAudit("Mission", "m", "CANCEL_REQUESTED", null, null).reason).toBe(
      'cancelled with its mission "m" (CANCEL_REQUESTED)',
    );
  });
});

describe("deadlines", () => {
  it("AWAITING_ON_INPUT sets one from seconds or a time; without either, none; other events clear it", () => {
    expect(deadlineOf("AWAITING_ON_INPUT", { timeoutSeconds: 90 }, now)).toEqual(new Date("2026-05-01T10:01:30.000Z"));
    const until = new Date("2026-05-02T00:00:00.000Z");
    expect(deadlineOf("AWAITING_ON_INPUT", { awaitingUntil: until }, now)).toEqual(until);
    expect(deadlineOf("AWAITING_ON_INPUT", {}, now)).toBeNull();
    expect(deadlineOf("INPUT_RECEIVED", { timeoutSeconds: null, awaitingUntil: null }, now)).toBeNull();
  });

  it.each([
    ["START_WORK", { timeoutSeconds: 5 }],
    ["AWAITING_ON_INPUT", { timeoutSeconds: 0 }],
    ["AWAITING_ON_INPUT", { timeoutSeconds: MAX_TIMEOUT_SECONDS + 1 }],
    ["AWAITING_ON_INPUT", { timeoutSeconds: Number.NaN }],
    ["AWAITING_ON_INPUT", { awaitingUntil: now }],
    ["AWAITING_ON_INPUT", { awaitingUntil: new Date(Number.NaN) }],
    ["AWAITING_ON_INPUT", { awaitingUntil: new Date(now.getTime() + (MAX_TIMEOUT_SECONDS + 1) * 1000) }],
  ] as const)("%s with %o is refused", (event, options) => {
    expect(() => deadlineOf(event, options, now)).toThrow(BadUserInputError);
  });

  it("has passed at its very time, while AWAITING", () => {
    const awaitingUntil = new Date(now.getTime() + 1000);
    expect(deadlinePassed({ status: "AWAITING", awaitingUntil }, now)).toBe(false);
    expect(deadlinePassed({ status: "AWAITING", awaitingUntil }, awaitingUntil)).toBe(true);
    expect(deadlinePassed({ status: "FAILED", awaitingUntil }, awaitingUntil)).toBe(false);
    expect(deadlineReason(awaitingUntil)).toBe("the deadline 2026-05-01T10:00:01.000Z passed without input");
  });
});
