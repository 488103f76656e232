// Inputs at the edge of what the services accept: each refused with the field named and
// nothing written.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../src/services/validation.js";
import { expectError } from "../support/errors.js";
import { snapshotRows } from "../support/rows.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(() => t.dispose());

describe("input edges", () => {
  it("refuses an agentName over 200 characters on update as on create", async () => {
    const long = "a".repeat(201);
    await expectError(t.services.jobs.create({ name: "j", agentName: long }), "BAD_USER_INPUT", { field: "agentName" });
    const job = await t.services.jobs.create({ name: "j", agentName: "a" });
    const before = await snapshotRows(t.database);
    await expectError(t.services.jobs.update(job.id, { agentName: long }), "BAD_USER_INPUT", { field: "agentName" });
    expect(await snapshotRows(t.database)).toEqual(before);
  });

  it("takes JSON nested to the limit, and says a deeper value is too deep, with the limit, rather than not JSON", async () => {
    const nested = (depth: number) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);
    const job = await t.services.jobs.create({ name: "j", agentName: "a", payload: nested(MAX_JSON_DEPTH) });
    expect((await t.services.jobs.get(job.id))?.payload).toEqual(nested(MAX_JSON_DEPTH));
    for (const depth of [MAX_JSON_DEPTH + 1, 5000]) {
      const error = await expectError(t.services.jobs.update(job.id, { payload: nested(depth) }), "BAD_USER_INPUT", {
        field: "payload",
      });
      expect(error.message).toBe(`"payload" is nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`);
    }
  });

  it("names need a visible character; other letters, emoji and marks on a letter are visible", async () => {
    for (const name of ["\u200b", " \u200b\u200c\u200d\ufeff ", "\u3164", "\u034f\u0301", "\u2028\t"]) {
      await expectError(t.services.missions.create({ name }), "BAD_USER_INPUT", { field: "name" });
    }
    for (const name of ["é", "e\u0301", "日本", "🧪", "\u200bx", "-"]) {
      expect((await t.services.missions.create({ name })).name).toBe(name);
    }
  });

  it("refuses a case step whose error is empty instead of failing the case with no reason", async () => {
    const job = await t.services.jobs.create({ name: "j", agentName: "a" });
    const started = await t.services.cases.start({ jobId: job.id, name: "c" });
    const before = await snapshotRows(t.database);
    await expectError(t.services.cases.addUpdate(started.id, { name: "s", error: "  " }), "BAD_USER_INPUT", {
      field: "error",
    });
    expect(await snapshotRows(t.database)).toEqual(before);
    expect((await t.services.cases.get(started.id))?.status).toBe("IN_PROGRESS");
  });
});

// Text that no engine stores faithfully: a NUL character (PostgreSQL refuses it) and a lone
// surrogate (not Unicode, so it would read back as other text). Both engines refuse it alike.
const NUL = "\u0000";
const LONE_SURROGATE = "\ud800";

describe("text that cannot be stored", () => {
  it.each([
    ["a mission name", "name", () => t.services.missions.create({ name: `m${LONE_SURROGATE}` })],
    ["a description", "description", () => t.services.missions.create({ name: "m", description: LONE_SURROGATE })],
    ["an agentName", "agentName", () => t.services.jobs.create({ name: "j", agentName: `a${LONE_SURROGATE}` })],
    ["an edited error", "error", (jobId: string) => t.services.jobs.update(jobId, { error: LONE_SURROGATE })],
    [
      "an actor",
      "actor",
      (jobId: string) => t.services.jobs.handleEvent(jobId, "START_WORK", { actor: LONE_SURROGATE }),
    ],
    [
      "an idempotency key",
      "idempotencyKey",
      (jobId: string) => t.services.jobs.handleEvent(jobId, "START_WORK", { idempotencyKey: `k${LONE_SURROGATE}` }),
    ],
  ] as const)("a lone surrogate in %s is BAD_USER_INPUT naming it, and writes nothing", async (_name, field, run) => {
    const job = await t.services.jobs.create({ name: "j", agentName: "a" });
    const before = await snapshotRows(t.database);
    await expectError(run(job.id), "BAD_USER_INPUT", { field });
    expect(await snapshotRows(t.database)).toEqual(before);
  });

  it.each([
    ["metadata", () => t.services.missions.create({ name: "m", metadata: { note: `a${NUL}b` } })],
    ["metadata", () => t.services.missions.create({ name: "m", metadata: { [`key${NUL}`]: 1 } })],
    [
      "jobContext",
      () => t.services.jobs.create({ name: "j", agentName: "a", jobContext: { deep: [{ text: LONE_SURROGATE }] } }),
    ],
    ["payload", () => t.services.jobs.create({ name: "j", agentName: "a", payload: [NUL] })],
    [
      "agentParameters",
      () => t.services.jobs.create({ name: "j", agentName: "a", agentParameters: { [LONE_SURROGATE]: true } }),
    ],
  ] as const)("JSON holding a NUL or a lone surrogate is BAD_USER_INPUT naming %s", async (field, create) => {
    const before = await snapshotRows(t.database);
    await expectError(create(), "BAD_USER_INPUT", { field });
    expect(await snapshotRows(t.database)).toEqual(before);
  });

  it("JSON in edits and case steps is held to the same rule", async () => {
    const job = await t.services.jobs.create({ name: "j", agentName: "a" });
    const started = await t.services.cases.start({ jobId: job.id, name: "c" });
    const before = await snapshotRows(t.database);
    await expectError(t.services.jobs.update(job.id, { result: { text: NUL } }), "BAD_USER_INPUT", { field: "result" });
    await expectError(t.services.cases.update(started.id, { finalDelivery: LONE_SURROGATE }), "BAD_USER_INPUT", {
      field: "finalDelivery",
    });
    await expectError(t.services.cases.addUpdate(started.id, { payload: { a: NUL } }), "BAD_USER_INPUT", {
      field: "payload",
    });
    expect(await snapshotRows(t.database)).toEqual(before);
  });

  it("keeps text that only looks like those characters, and characters beyond the first plane", async () => {
    const metadata = { escaped: "\\u0000 and \\ud800", emoji: "😀", pair: "\ud83d\ude00", backslashes: "\\\\" };
    const mission = await t.services.missions.create({ name: "😀 \\u0000", metadata });
    expect(await t.services.missions.get(mission.id)).toEqual(mission);
    expect(mission.metadata).toEqual(metadata);
  });

  it("an id or filter holding a NUL names nothing: reads find nothing, writes find nothing to change", async () => {
    const id = `a${NUL}b`;
    const s = t.services;
    await s.missions.create({ id: "m", name: "m" });
    expect(await s.jobs.get(id)).toBeNull();
    expect(await s.cases.delete(id)).toBe(false);
    await expectError(s.missions.handleEvent(id, "START_WORK"), "NOT_FOUND", { entityType: "Mission", id });
    await expectError(s.jobs.update(id, { name: "x" }), "NOT_FOUND", { entityType: "Job", id });
    await expectError(s.cases.addUpdate(id, { name: "x" }), "NOT_FOUND", { entityType: "Case", id });
    expect((await s.jobs.listJobs({ missionId: id })).items).toEqual([]);
    expect(await s.jobs.countJobs({ agentName: id })).toBe(0);
    expect((await s.childrenPages("Job", [id, "m"], {})).get(id)!.items).toEqual([]);
    expect(Object.fromEntries(await s.childrenCounts("Job", [id, "m"]))).toEqual({ [id]: 0, m: 0 });
    expect((await s.transitionPages("Job", [id], {})).get(id)!.items).toEqual([]);
    expect((await s.cases.updatesOf([id])).get(id)).toEqual([]);
    await expectError(s.jobs.create({ name: "j", agentName: "a", missionId: id }), "BAD_USER_INPUT", {
      field: "missionId",
    });
    await expectError(s.cases.start({ jobId: id, name: "c" }), "BAD_USER_INPUT", { field: "jobId" });
  });
});
