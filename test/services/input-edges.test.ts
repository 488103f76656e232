// Inputs at the edge of what the services accept: each refused with the field named and
// nothing written.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectError } from "../support/errors.js";
import { snapshotRows } from "../support/rows.js";
import { openTestDatabase, type TestDatabase } from "../support/test-database.js";

let t: TestDatabase;
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
