// The version rule: +1 on every transition and on every edit; a step is an edit (+1), a step
// with an error is an edit and a transition (+2); a cancel that cascades moves the parent and
// each descendant it moves by one. Refusals and retries move nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tickingClock } from "../support/database.js";
import { createIn, KINDS, serviceFor, transitionRows } from "../support/entities.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
beforeAll(async () => {
  t = await openTestDatabase({ clock: tickingClock() });
});
afterAll(() => t.dispose());

describe.each(KINDS)("a %s", (kind) => {
  it("moves by one per transition and per edit, and by nothing on a retry or a refusal", async () => {
    const service = serviceFor(t.services, kind);
    const id = await createIn(t, kind, "IN_PROGRESS");
    const start = (await service.get(id))!.version;
    expect((await service.update(id, { name: "renamed" })).version).toBe(start + 1);
    expect((await service.handleEvent(id, "AWAITING_ON_INPUT", { idempotencyKey: "wait" })).version).toBe(start + 2);
    expect((await service.handleEvent(id, "AWAITING_ON_INPUT", { idempotencyKey: "wait" })).version).toBe(start + 2);
    await expect(service.handleEvent(id, "START_WORK")).rejects.toMatchObject({ code: "INVALID_TRANSITION" });
    expect((await service.transition(id, "IN_PROGRESS")).version).toBe(start + 3);
    expect((await service.update(id, { name: "again" })).version).toBe(start + 4);
    // An edit that changes nothing writes nothing.
    expect((await service.update(id, {})).version).toBe(start + 4);
    const done = await service.handleEvent(id, "SUCCESSFULLY_DONE");
    expect(done.version).toBe(start + 5);
    await expect(service.update(id, { name: "late" })).rejects.toMatchObject({ code: "ENTITY_FINISHED" });
    expect((await service.get(id))!.version).toBe(start + 5);
  });
});

describe("a case's steps", () => {
  it("move it by one each, and by two for a step that fails it: once as an edit, once as a transition", async () => {
    const id = await createIn(t, "Case", "IN_PROGRESS");
    const v = (await t.services.cases.get(id))!.version;
    expect((await t.services.cases.addUpdate(id, { name: "a", cost: 1 })).version).toBe(v + 1);
    expect((await t.services.cases.addUpdate(id, { name: "b", isFinal: true, payload: 1 })).version).toBe(v + 2);
    const failed = await t.services.cases.addUpdate(id, { name: "c", error: "boom" });
    expect(failed.version).toBe(v + 4);
    // The transition row carries the version the failure left.
    expect((await transitionRows(t, "Case", id)).at(-1)).toMatchObject({ event: "ERROR_ENCOUNTERED", version: v + 4 });
  });
});

describe("a cancel that cascades", () => {
  it("moves the parent and every descendant it cancels by one, and the others not at all", async () => {
    const mission = await createIn(t, "Mission", "IN_PROGRESS");
    const job = await createIn(t, "Job", "IN_PROGRESS", mission);
    const running = await createIn(t, "Case", "IN_PROGRESS", job);
    const done = await createIn(t, "Case", "COMPLETED", job);
    const versions = async () => ({
      mission: (await t.services.missions.get(mission))!.version,
      job: (await t.services.jobs.get(job))!.version,
      running: (await t.services.cases.get(running))!.version,
      done: (await t.services.cases.get(done))!.version,
    });
    const before = await versions();
    await t.services.missions.handleEvent(mission, "CANCEL_REQUESTED");
    expect(await versions()).toEqual({
      mission: before.mission + 1,
      job: before.job + 1,
      running: before.running + 1,
      done: before.done,
    });
  });
});
