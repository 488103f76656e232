// The lifecycle table of the contract, checked cell by cell against the state machine.
import { describe, expect, it } from "vitest";
import {
  ANOMALY_STATUSES,
  canTransition,
  ENTITY_EVENTS,
  ENTITY_STATUSES,
  type EntityEvent,
  type EntityStatus,
  eventForTarget,
  INITIAL_STATUS,
  isAnomaly,
  isEntityEvent,
  isEntityStatus,
  isRunning,
  isTerminal,
  LIFECYCLE,
  lifecycleMermaid,
  nextStatus,
  pathTo,
  RUNNING_STATUSES,
  TERMINAL_STATUSES,
  validEvents,
} from "../../src/domain/lifecycle.js";

// Copied from the contract, in its order: [event, from, to].
const TABLE: [EntityEvent, EntityStatus, EntityStatus][] = [
  ["START_WORK", "STOPPED", "IN_PROGRESS"],
  ["SUCCESSFULLY_DONE", "IN_PROGRESS", "COMPLETED"],
  ["AWAITING_ON_INPUT", "IN_PROGRESS", "AWAITING"],
  ["CANCEL_REQUESTED", "IN_PROGRESS", "CANCELLING"],
  ["ERROR_ENCOUNTERED", "IN_PROGRESS", "FAILED"],
  ["TIMEOUT_OR_ERROR", "AWAITING", "FAILED"],
  ["INPUT_RECEIVED", "AWAITING", "IN_PROGRESS"],
  ["CANCEL_WHILE_WAITING", "AWAITING", "CANCELLING"],
  ["CANCEL_CONFIRMED", "CANCELLING", "CANCELLED"],
];

const STATUSES: EntityStatus[] = [
  "STOPPED",
  "IN_PROGRESS",
  "CANCELLING",
  "AWAITING",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
];
const EVENTS: EntityEvent[] = [
  "START_WORK",
  "SUCCESSFULLY_DONE",
  "AWAITING_ON_INPUT",
  "CANCEL_REQUESTED",
  "ERROR_ENCOUNTERED",
  "TIMEOUT_OR_ERROR",
  "INPUT_RECEIVED",
  "CANCEL_WHILE_WAITING",
  "CANCEL_CONFIRMED",
];

const inTable = (from: EntityStatus, event: EntityEvent) => TABLE.find(([e, f]) => e === event && f === from);
const invalidPairs = STATUSES.flatMap((from) =>
  EVENTS.filter((event) => !inTable(from, event)).map((event) => [from, event] as const),
);
const allTargets = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));

describe("statuses and events", () => {
  it("are the contract's enums, in the contract's order", () => {
    expect([...ENTITY_STATUSES]).toEqual(STATUSES);
    expect([...ENTITY_EVENTS]).toEqual(EVENTS);
    expect(INITIAL_STATUS).toBe("STOPPED");
  });

  it("are recognised by the guards, and nothing else is", () => {
    for (const s of STATUSES) expect(isEntityStatus(s)).toBe(true);
    for (const e of EVENTS) expect(isEntityEvent(e)).toBe(true);
    for (const bad of ["stopped", "START_WORK ", "", "DONE", 1, null, undefined, {}]) {
      expect(isEntityStatus(bad)).toBe(false);
      expect(isEntityEvent(bad)).toBe(false);
    }
    expect(isEntityStatus("START_WORK")).toBe(false);
    expect(isEntityEvent("STOPPED")).toBe(false);
  });
});

describe("the lifecycle table", () => {
  it("is exactly the contract's table, in order", () => {
    expect(LIFECYCLE.map((t) => [t.event, t.from, t.to])).toEqual(TABLE);
  });

  it.each(TABLE)("%s leads from %s to %s", (event, from, to) => {
    expect(canTransition(from, event)).toBe(true);
    expect(nextStatus(from, event)).toBe(to);
  });

  it(`rejects every other (status, event) pair (${invalidPairs.length} of them)`, () => {
    expect(invalidPairs).toHaveLength(STATUSES.length * EVENTS.length - TABLE.length);
    for (const [from, event] of invalidPairs) {
      expect(canTransition(from, event), `${from} + ${event}`).toBe(false);
      expect(nextStatus(from, event), `${from} + ${event}`).toBeUndefined();
    }
  });

  it("has at most one event per (from, to) pair", () => {
    const pairs = LIFECYCLE.map((t) => `${t.from}->${t.to}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it("reaches every status from the initial one", () => {
    const reached = new Set<EntityStatus>([INITIAL_STATUS]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of LIFECYCLE) {
        if (reached.has(t.from) && !reached.has(t.to)) {
          reached.add(t.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...STATUSES].sort());
  });
});

describe("pathTo", () => {
  it("is the shortest run of table rows from STOPPED to each status", () => {
    const events = Object.fromEntries(STATUSES.map((s) => [s, pathTo(s).map((t) => t.event)]));
    expect(events).toEqual({
      STOPPED: [],
      IN_PROGRESS: ["START_WORK"],
      CANCELLING: ["START_WORK", "CANCEL_REQUESTED"],
      AWAITING: ["START_WORK", "AWAITING_ON_INPUT"],
      COMPLETED: ["START_WORK", "SUCCESSFULLY_DONE"],
      FAILED: ["START_WORK", "ERROR_ENCOUNTERED"],
      CANCELLED: ["START_WORK", "CANCEL_REQUESTED", "CANCEL_CONFIRMED"],
    });
  });

  it("chains rows of the table, from the initial status", () => {
    for (const status of STATUSES) {
      let at = INITIAL_STATUS;
      for (const t of pathTo(status)) {
        expect(LIFECYCLE).toContain(t);
        expect(t.from).toBe(at);
        at = t.to;
      }
      expect(at).toBe(status);
    }
  });
});

describe("validEvents", () => {
  const expected: Record<EntityStatus, EntityEvent[]> = {
    STOPPED: ["START_WORK"],
    IN_PROGRESS: ["SUCCESSFULLY_DONE", "AWAITING_ON_INPUT", "CANCEL_REQUESTED", "ERROR_ENCOUNTERED"],
    AWAITING: ["TIMEOUT_OR_ERROR", "INPUT_RECEIVED", "CANCEL_WHILE_WAITING"],
    CANCELLING: ["CANCEL_CONFIRMED"],
    COMPLETED: [],
    FAILED: [],
    CANCELLED: [],
  };

  it.each(STATUSES)("from %s lists exactly the events the table allows, in table order", (status) => {
    expect(validEvents(status)).toEqual(expected[status]);
    for (const event of EVENTS) expect(validEvents(status).includes(event)).toBe(canTransition(status, event));
  });
});

describe("status sets", () => {
  const sorted = (s: readonly EntityStatus[]) => [...s].sort();

  it("running is IN_PROGRESS, CANCELLING, AWAITING", () => {
    expect(sorted(RUNNING_STATUSES)).toEqual(sorted(["IN_PROGRESS", "CANCELLING", "AWAITING"]));
    for (const s of STATUSES) expect(isRunning(s), s).toBe(RUNNING_STATUSES.includes(s));
  });

  it("terminal is COMPLETED, FAILED, CANCELLED, and there is no way out of them", () => {
    expect(sorted(TERMINAL_STATUSES)).toEqual(sorted(["COMPLETED", "FAILED", "CANCELLED"]));
    for (const s of STATUSES) {
      expect(isTerminal(s), s).toBe(TERMINAL_STATUSES.includes(s));
      // Terminal exactly when nothing leads out; every other status can move on.
      expect(validEvents(s).length === 0, s).toBe(isTerminal(s));
    }
  });

  it("anomaly is CANCELLING, CANCELLED, FAILED", () => {
    expect(sorted(ANOMALY_STATUSES)).toEqual(sorted(["CANCELLING", "CANCELLED", "FAILED"]));
    for (const s of STATUSES) expect(isAnomaly(s), s).toBe(ANOMALY_STATUSES.includes(s));
  });

  it("STOPPED is neither running nor terminal", () => {
    expect(isRunning("STOPPED")).toBe(false);
    expect(isTerminal("STOPPED")).toBe(false);
  });
});

describe("eventForTarget", () => {
  it.each(TABLE)("names %s for %s -> %s", (event, from, to) => {
    expect(eventForTarget(from, to)).toBe(event);
  });

  it("is undefined for every (from, to) pair no event connects, including staying put", () => {
    const unconnected = allTargets.filter(([from, to]) => !TABLE.some(([, f, t]) => f === from && t === to));
    expect(unconnected).toHaveLength(STATUSES.length * STATUSES.length - TABLE.length);
    for (const [from, to] of unconnected) expect(eventForTarget(from, to), `${from} -> ${to}`).toBeUndefined();
  });
});

describe("lifecycleMermaid", () => {
  const lines = lifecycleMermaid().split("\n");
  const edges = lines.map((l) => /^\s*(\w+) --> (\w+): (\w+)\s*$/.exec(l)).filter((m) => m !== null);

  it("is a stateDiagram-v2", () => {
    expect(lines[0]).toBe("stateDiagram-v2");
  });

  it("has one line per table row and no other labelled edge", () => {
    expect(edges.map((m) => [m[3], m[1], m[2]])).toEqual(TABLE);
  });

  it("starts in STOPPED and ends in the terminal statuses", () => {
    const trimmed = lines.map((l) => l.trim());
    expect(trimmed).toContain("[*] --> STOPPED");
    const finals = trimmed.filter((l) => l.endsWith("--> [*]")).map((l) => l.split(" ")[0]);
    expect(finals.sort()).toEqual(["CANCELLED", "COMPLETED", "FAILED"]);
  });
});
