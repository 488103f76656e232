// "A failed mutation leaves the database exactly as it was": every error code of the contract,
// raised by the services, with the whole database compared row by row before and after.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_COST } from "../../src/domain/cost.js";
import type { JsonObject, JsonValue } from "../../src/domain/entities.js";
import type { ErrorCode } from "../../src/domain/errors.js";
import type { Services } from "../../src/services/services.js";
import { expectError } from "../support/errors.js";
import { snapshotRows } from "../support/rows.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
let s: Services;
// A populated database: a mission with a running job, a running case with a step, an awaiting case.
const ids = { mission: "m-1", job: "j-1", freeJob: "j-free", running: "c-running", awaiting: "c-awaiting" };

beforeAll(async () => {
  t = await openTestDatabase();
  s = t.services;
  await s.missions.create({ id: ids.mission, name: "mission", metadata: { team: "blue" } });
  await s.missions.handleEvent(ids.mission, "START_WORK");
  await s.jobs.create({ id: ids.job, name: "job", agentName: "agent", missionId: ids.mission });
  await s.jobs.handleEvent(ids.job, "START_WORK", { idempotencyKey: "start-job" });
  await s.jobs.create({ id: ids.freeJob, name: "free job", agentName: "agent" });
  await s.cases.start({ id: ids.running, jobId: ids.job, name: "running" });
  await s.cases.addUpdate(ids.running, { name: "step", cost: 1 });
  await s.cases.start({ id: ids.awaiting, jobId: ids.job, name: "awaiting" });
  await s.cases.handleEvent(ids.awaiting, "AWAITING_ON_INPUT");
});
afterAll(() => t.dispose());

/** An array in an array … `depth` levels deep. */
const nested = (depth: number): JsonValue => {
  let value: JsonValue = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

const cyclic = (): JsonObject => {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return value as JsonObject;
};

interface Failure {
  name: string;
  code: ErrorCode;
  details: Record<string, unknown>;
  run: () => Promise<unknown>;
}

const failures: Failure[] = [
  // NOT_FOUND
  {
    name: "event on a missing mission",
    code: "NOT_FOUND",
    details: { entityType: "Mission", id: "nope" },
    run: () => s.missions.handleEvent("nope", "START_WORK"),
  },
  {
    name: "event on a missing job",
    code: "NOT_FOUND",
    details: { entityType: "Job", id: "nope" },
    run: () => s.jobs.handleEvent("nope", "START_WORK"),
  },
  {
    name: "transition of a missing case",
    code: "NOT_FOUND",
    details: { entityType: "Case", id: "nope" },
    run: () => s.cases.transition("nope", "COMPLETED"),
  },
  {
    name: "update of a missing job",
    code: "NOT_FOUND",
    details: { entityType: "Job", id: "nope" },
    run: () => s.jobs.update("nope", { name: "x" }),
  },
  {
    name: "update of a missing mission",
    code: "NOT_FOUND",
    details: { entityType: "Mission", id: "nope" },
    run: () => s.missions.update("nope", { name: "x" }),
  },
  {
    name: "step on a missing case",
    code: "NOT_FOUND",
    details: { entityType: "Case", id: "nope" },
    run: () => s.cases.addUpdate("nope", { name: "x", cost: 1 }),
  },
  {
    name: "keyed event on a missing case",
    code: "NOT_FOUND",
    details: { entityType: "Case", id: "nope" },
    run: () => s.cases.handleEvent("nope", "START_WORK", { idempotencyKey: "k" }),
  },

  // INVALID_TRANSITION
  {
    name: "SUCCESSFULLY_DONE on a stopped job",
    code: "INVALID_TRANSITION",
    details: { from: "STOPPED", event: "SUCCESSFULLY_DONE", validEvents: ["START_WORK"] },
    run: () => s.jobs.handleEvent(ids.freeJob, "SUCCESSFULLY_DONE"),
  },
  {
    name: "START_WORK on a running mission",
    code: "INVALID_TRANSITION",
    details: { from: "IN_PROGRESS", event: "START_WORK" },
    run: () => s.missions.handleEvent(ids.mission, "START_WORK", { actor: "a", reason: "r" }),
  },
  {
    name: "transition to a status no event reaches",
    code: "INVALID_TRANSITION",
    details: { from: "AWAITING", to: "COMPLETED" },
    run: () => s.cases.transition(ids.awaiting, "COMPLETED"),
  },
  {
    name: "error step on an awaiting case",
    code: "INVALID_TRANSITION",
    details: { from: "AWAITING", event: "ERROR_ENCOUNTERED" },
    run: () => s.cases.addUpdate(ids.awaiting, { name: "x", cost: 2, error: "boom" }),
  },

  // VERSION_CONFLICT
  {
    name: "event at a stale version",
    code: "VERSION_CONFLICT",
    details: { expected: 0, actual: 1 },
    run: () => s.jobs.handleEvent(ids.job, "SUCCESSFULLY_DONE", { expectedVersion: 0 }),
  },
  {
    name: "transition at a future version",
    code: "VERSION_CONFLICT",
    details: { expected: 9, actual: 1 },
    run: () => s.missions.transition(ids.mission, "COMPLETED", { expectedVersion: 9 }),
  },
  {
    name: "update at a stale version",
    code: "VERSION_CONFLICT",
    details: { expected: 0, actual: 2 },
    run: () => s.cases.update(ids.running, { name: "x" }, 0),
  },

  // ALREADY_EXISTS
  {
    name: "mission with a taken id",
    code: "ALREADY_EXISTS",
    details: { entityType: "Mission", id: ids.mission },
    run: () => s.missions.create({ id: ids.mission, name: "again" }),
  },
  {
    name: "job with a taken id",
    code: "ALREADY_EXISTS",
    details: { entityType: "Job", id: ids.job },
    run: () => s.jobs.create({ id: ids.job, name: "again", agentName: "a" }),
  },
  {
    name: "case with a taken id",
    code: "ALREADY_EXISTS",
    details: { entityType: "Case", id: ids.running },
    run: () => s.cases.start({ id: ids.running, jobId: ids.job, name: "again" }),
  },

  // BAD_USER_INPUT: empty names
  {
    name: "mission with an empty name",
    code: "BAD_USER_INPUT",
    details: { field: "name" },
    run: () => s.missions.create({ name: "" }),
  },
  {
    name: "job with a blank name",
    code: "BAD_USER_INPUT",
    details: { field: "name" },
    run: () => s.jobs.create({ name: "   ", agentName: "a" }),
  },
  {
    name: "job with an empty agentName",
    code: "BAD_USER_INPUT",
    details: { field: "agentName" },
    run: () => s.jobs.create({ name: "j", agentName: "" }),
  },
  {
    name: "case with an empty name",
    code: "BAD_USER_INPUT",
    details: { field: "name" },
    run: () => s.cases.start({ jobId: ids.job, name: "" }),
  },
  {
    name: "rename to an empty name",
    code: "BAD_USER_INPUT",
    details: { field: "name" },
    run: () => s.missions.update(ids.mission, { name: "" }),
  },
  {
    name: "rename to a null name",
    code: "BAD_USER_INPUT",
    details: { field: "name" },
    run: () => s.jobs.update(ids.job, { name: null }),
  },

  // BAD_USER_INPUT: unknown parents
  {
    name: "job of an unknown mission",
    code: "BAD_USER_INPUT",
    details: { field: "missionId" },
    run: () => s.jobs.create({ name: "j", agentName: "a", missionId: "no-such-mission" }),
  },
  {
    name: "case of an unknown job",
    code: "BAD_USER_INPUT",
    details: { field: "jobId" },
    run: () => s.cases.start({ jobId: "no-such-job", name: "c" }),
  },

  // BAD_USER_INPUT: page sizes and cursors
  {
    name: "first above 500",
    code: "BAD_USER_INPUT",
    details: { field: "first" },
    run: () => s.missions.list({ first: 501 }),
  },
  {
    name: "negative first",
    code: "BAD_USER_INPUT",
    details: { field: "first" },
    run: () => s.jobs.listJobs({ first: -1 }),
  },
  {
    name: "fractional first",
    code: "BAD_USER_INPUT",
    details: { field: "first" },
    run: () => s.cases.listCases({ first: 1.5 }),
  },
  {
    name: "first out of range for children",
    code: "BAD_USER_INPUT",
    details: { field: "first" },
    run: () => s.childrenPages("Job", [ids.mission], { first: 1000 }),
  },
  {
    name: "a cursor that is not one",
    code: "BAD_USER_INPUT",
    details: { field: "after" },
    run: () => s.missions.list({ after: "not-a-cursor" }),
  },

  // BAD_USER_INPUT: JSON and metadata
  {
    name: "mission metadata that is an array",
    code: "BAD_USER_INPUT",
    details: { field: "metadata" },
    run: () => s.missions.create({ name: "m", metadata: [1, 2] as unknown as JsonObject }),
  },
  {
    name: "job metadata that is a string",
    code: "BAD_USER_INPUT",
    details: { field: "metadata" },
    run: () => s.jobs.create({ name: "j", agentName: "a", metadata: "{}" as unknown as JsonObject }),
  },
  {
    name: "metadata set to null in an edit",
    code: "BAD_USER_INPUT",
    details: { field: "metadata" },
    run: () => s.cases.update(ids.running, { metadata: null }),
  },
  {
    name: "jobContext that is not an object",
    code: "BAD_USER_INPUT",
    details: { field: "jobContext" },
    run: () => s.jobs.create({ name: "j", agentName: "a", jobContext: 5 as unknown as JsonObject }),
  },
  {
    name: "payload that is not JSON (a cycle)",
    code: "BAD_USER_INPUT",
    details: { field: "payload" },
    run: () => s.jobs.create({ name: "j", agentName: "a", payload: cyclic() }),
  },
  {
    name: "result that is not JSON (a BigInt)",
    code: "BAD_USER_INPUT",
    details: { field: "result" },
    run: () => s.jobs.update(ids.job, { result: { n: 1n } as unknown as JsonObject }),
  },
  {
    name: "step payload that is not JSON",
    code: "BAD_USER_INPUT",
    details: { field: "payload" },
    run: () => s.cases.addUpdate(ids.running, { name: "x", payload: cyclic() }),
  },
  {
    name: "metadata that is not JSON (a cycle)",
    code: "BAD_USER_INPUT",
    details: { field: "metadata" },
    run: () => s.missions.create({ name: "m", metadata: cyclic() }),
  },
  {
    name: "metadata edit that is not JSON",
    code: "BAD_USER_INPUT",
    details: { field: "metadata" },
    run: () => s.jobs.update(ids.job, { metadata: cyclic() }),
  },
  {
    name: "jobContext that is not JSON",
    code: "BAD_USER_INPUT",
    details: { field: "jobContext" },
    run: () => s.jobs.create({ name: "j", agentName: "a", jobContext: cyclic() }),
  },
  {
    name: "metadata holding a NUL character",
    code: "BAD_USER_INPUT",
    details: { field: "metadata" },
    run: () => s.missions.update(ids.mission, { metadata: { note: "a\u0000b" } }),
  },
  {
    name: "a step payload holding a lone surrogate",
    code: "BAD_USER_INPUT",
    details: { field: "payload" },
    run: () => s.cases.addUpdate(ids.running, { name: "x", cost: 1, payload: ["\ud800"] }),
  },
  {
    name: "a reason holding a lone surrogate",
    code: "BAD_USER_INPUT",
    details: { field: "reason" },
    run: () => s.cases.handleEvent(ids.running, "SUCCESSFULLY_DONE", { reason: "done\udc00" }),
  },
  {
    name: "a negative cost",
    code: "BAD_USER_INPUT",
    details: { field: "cost" },
    run: () => s.cases.addUpdate(ids.running, { name: "x", cost: -1 }),
  },

  {
    name: "a cost of 1.7e308, past the maximum",
    code: "BAD_USER_INPUT",
    details: { field: "cost" },
    run: () => s.cases.addUpdate(ids.running, { name: "x", cost: 1.7e308 }),
  },
  {
    name: "a cost that would take the total past the maximum",
    code: "BAD_USER_INPUT",
    details: { field: "cost" },
    run: () => s.cases.addUpdate(ids.running, { name: "x", cost: MAX_COST }),
  },
  {
    name: "a JSON value nested 5,000 levels deep",
    code: "BAD_USER_INPUT",
    details: { field: "payload" },
    run: () => s.jobs.update(ids.job, { payload: nested(5000) }),
  },
  {
    name: "a JSON key holding a lone surrogate",
    code: "BAD_USER_INPUT",
    details: { field: "metadata" },
    run: () => s.missions.update(ids.mission, { metadata: { "\ud800": 1 } }),
  },
  {
    name: "a name of one zero-width space",
    code: "BAD_USER_INPUT",
    details: { field: "name" },
    run: () => s.missions.create({ name: "\u200b" }),
  },
  {
    name: "a step named with only invisible characters",
    code: "BAD_USER_INPUT",
    details: { field: "name" },
    run: () => s.cases.addUpdate(ids.running, { name: "\u200b\u2060", cost: 1 }),
  },
  {
    name: "a renamed case of only invisible characters",
    code: "BAD_USER_INPUT",
    details: { field: "name" },
    run: () => s.cases.update(ids.running, { name: "\u2060\ufe0f\u00ad" }),
  },
  {
    name: "an agentName of a lone combining mark",
    code: "BAD_USER_INPUT",
    details: { field: "agentName" },
    run: () => s.jobs.create({ name: "j", agentName: "\u0301" }),
  },
  {
    name: "an empty idempotency key",
    code: "BAD_USER_INPUT",
    details: { field: "idempotencyKey" },
    run: () => s.jobs.handleEvent(ids.job, "AWAITING_ON_INPUT", { idempotencyKey: "" }),
  },
  {
    name: "an event on an id holding a lone surrogate",
    code: "BAD_USER_INPUT",
    details: { field: "id" },
    run: () => s.jobs.handleEvent(`${ids.job}\ud800`, "AWAITING_ON_INPUT"),
  },
  {
    name: "a step on a case id holding a lone surrogate",
    code: "BAD_USER_INPUT",
    details: { field: "caseId" },
    run: () => s.cases.addUpdate(`${ids.running}\udc00`, { name: "x" }),
  },
  {
    name: "a job in a mission id holding a lone surrogate",
    code: "BAD_USER_INPUT",
    details: { field: "missionId" },
    run: () => s.jobs.create({ name: "j", agentName: "a", missionId: "m\ud800" }),
  },
  {
    name: "an agentName filter holding a lone surrogate",
    code: "BAD_USER_INPUT",
    details: { field: "agentName" },
    run: () => s.jobs.listJobs({ agentName: "agent\ud800" }),
  },
  {
    name: "an empty status filter",
    code: "BAD_USER_INPUT",
    details: { field: "status" },
    run: () => s.jobs.listJobs({ status: [] }),
  },

  // BAD_USER_INPUT: ids
  {
    name: "an id with a space",
    code: "BAD_USER_INPUT",
    details: { field: "id" },
    run: () => s.missions.create({ id: "mission 1", name: "m" }),
  },
  {
    name: "an id with a slash",
    code: "BAD_USER_INPUT",
    details: { field: "id" },
    run: () => s.jobs.create({ id: "../etc", name: "j", agentName: "a" }),
  },
  {
    name: "an empty id",
    code: "BAD_USER_INPUT",
    details: { field: "id" },
    run: () => s.cases.start({ id: "", jobId: ids.job, name: "c" }),
  },
  {
    name: "an id too long",
    code: "BAD_USER_INPUT",
    details: { field: "id" },
    run: () => s.missions.create({ id: "m".repeat(129), name: "m" }),
  },
  {
    name: "an id with a NUL",
    code: "BAD_USER_INPUT",
    details: { field: "id" },
    run: () => s.missions.create({ id: "m\u0000", name: "m" }),
  },

  // BAD_USER_INPUT: events and options
  {
    name: "an idempotency key reused for another event",
    code: "BAD_USER_INPUT",
    details: { field: "idempotencyKey" },
    run: () => s.jobs.handleEvent(ids.job, "AWAITING_ON_INPUT", { idempotencyKey: "start-job" }),
  },
  {
    name: "an unknown event",
    code: "BAD_USER_INPUT",
    details: { field: "event" },
    run: () => s.jobs.handleEvent(ids.job, "FINISH" as never),
  },
  {
    name: "an unknown target status",
    code: "BAD_USER_INPUT",
    details: { field: "to" },
    run: () => s.jobs.transition(ids.job, "DONE" as never),
  },
  {
    name: "a negative expectedVersion",
    code: "BAD_USER_INPUT",
    details: { field: "expectedVersion" },
    run: () => s.jobs.handleEvent(ids.job, "AWAITING_ON_INPUT", { expectedVersion: -1 }),
  },
  {
    name: "an unknown status filter",
    code: "BAD_USER_INPUT",
    details: { field: "status" },
    run: () => s.jobs.listJobs({ status: ["RUNNING" as never] }),
  },
];

describe("a failed call", () => {
  it.each(failures.map((f) => [f.code, f.name, f] as const))(
    "%s (%s) leaves every row as it was",
    async (code, _name, failure) => {
      const before = await snapshotRows(t.database);
      await expectError(failure.run(), code, failure.details);
      expect(await snapshotRows(t.database)).toEqual(before);
    },
  );

  it("covers every code a service can raise", () => {
    expect(new Set(failures.map((f) => f.code))).toEqual(
      new Set(["NOT_FOUND", "INVALID_TRANSITION", "VERSION_CONFLICT", "ALREADY_EXISTS", "BAD_USER_INPUT"]),
    );
  });
});
