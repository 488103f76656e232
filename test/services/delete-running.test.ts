// Deleting running work is deliberate: deleteMission/Job/Case refuse an entity that is running,
// or that has a running job or case under it, with ENTITY_RUNNING and nothing deleted, unless
// `force` is true.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EntityStatus, RUNNING_STATUSES } from "../../src/domain/lifecycle.js";
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

describe.each(KINDS)("deleting a %s", (kind) => {
  const service = () => serviceFor(t.services, kind);

  it.each(RUNNING_STATUSES)("that is %s is ENTITY_RUNNING and deletes nothing; with force it goes", async (status) => {
    const id = await createIn(t, kind, status);
    const before = await snapshotRows(t.database);
    await expectError(service().delete(id), "ENTITY_RUNNING", { entityType: kind, id });
    expect(await snapshotRows(t.database)).toEqual(before);

    expect(await service().delete(id, true)).toBe(true);
    expect(await service().get(id)).toBeNull();
  });

  it.each(["STOPPED", "COMPLETED", "FAILED", "CANCELLED"] as EntityStatus[])(
    "that is %s, with nothing running under it, needs no force",
    async (status) => {
      const id = await createIn(t, kind, status);
      expect(await service().delete(id)).toBe(true);
      expect(await service().get(id)).toBeNull();
    },
  );
});

describe("running descendants", () => {
  it("a STOPPED mission with a running job, or a finished one with a running case, needs force", async () => {
    const mission = await createIn(t, "Mission", "STOPPED");
    await createIn(t, "Job", "AWAITING", mission);
    const before = await snapshotRows(t.database);
    await expectError(t.services.missions.delete(mission), "ENTITY_RUNNING", { entityType: "Mission", id: mission });
    expect(await snapshotRows(t.database)).toEqual(before);

    const done = await createIn(t, "Mission", "IN_PROGRESS");
    const job = await createIn(t, "Job", "IN_PROGRESS", done);
    await createIn(t, "Case", "CANCELLING", job);
    await t.services.jobs.handleEvent(job, "SUCCESSFULLY_DONE");
    await t.services.missions.handleEvent(done, "SUCCESSFULLY_DONE");
    await expectError(t.services.missions.delete(done), "ENTITY_RUNNING", { entityType: "Mission", id: done });
    await expectError(t.services.jobs.delete(job), "ENTITY_RUNNING", { entityType: "Job", id: job });
    expect(await t.services.missions.delete(done, true)).toBe(true);
    expect(await t.services.jobs.get(job)).toBeNull();
  });

  it("finished and stopped descendants do not stand in the way", async () => {
    const mission = await createIn(t, "Mission", "IN_PROGRESS");
    const job = await createIn(t, "Job", "IN_PROGRESS", mission);
    await createIn(t, "Case", "COMPLETED", job);
    await createIn(t, "Job", "STOPPED", mission);
    await t.services.jobs.handleEvent(job, "SUCCESSFULLY_DONE");
    await t.services.missions.handleEvent(mission, "SUCCESSFULLY_DONE");
    expect(await t.services.missions.delete(mission)).toBe(true);
  });

  it("a missing id is still false, with or without force", async () => {
    expect(await t.services.jobs.delete("no-such-job")).toBe(false);
    expect(await t.services.jobs.delete("no-such-job", true)).toBe(false);
  });
});
