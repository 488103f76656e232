// Many callers at once on one database: nothing lost, and conflicting events resolved with
// exactly one winner and a typed error for the other.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { groupBy } from "../../src/db/group-by.js";
import { DomainError } from "../../src/domain/errors.js";
import type { EntityEvent } from "../../src/domain/lifecycle.js";
import { createServices } from "../../src/services/services.js";
import { countRows, createIn, KINDS, serviceFor, transitionRows } from "../support/entities.js";
import { expectError } from "../support/errors.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(() => t.dispose());

describe("10 concurrent workers, 100 create-then-transition cycles each", () => {
  it("lose nothing: 1,000 entities and exactly the transitions fired", async () => {
    const s = t.services;
    const workers = 10;
    const cycles = 100;
    for (let w = 0; w < workers; w++) await s.missions.create({ id: `mission-${w}`, name: `worker ${w}` });

    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let i = 0; i < cycles; i++) {
          const job = await s.jobs.create({
            id: `job-${w}-${i}`,
            name: "job",
            agentName: `agent-${w}`,
            missionId: `mission-${w}`,
          });
          await s.jobs.handleEvent(job.id, "START_WORK", { actor: `worker-${w}` });
          if (i % 2 === 0) await s.jobs.handleEvent(job.id, "SUCCESSFULLY_DONE", { actor: `worker-${w}` });
          else await s.jobs.transition(job.id, "AWAITING", { actor: `worker-${w}` });
        }
      }),
    );

    expect(await countRows(t, "Job")).toBe(workers * cycles);
    expect(await countRows(t, "Transition")).toBe(workers * cycles * 2);
    expect(await s.jobs.countJobs({ status: ["COMPLETED"] })).toBe(500);
    expect(await s.jobs.countJobs({ status: ["AWAITING"] })).toBe(500);
    for (let w = 0; w < workers; w++) {
      expect(await s.jobs.countJobs({ missionId: `mission-${w}` })).toBe(cycles);
      expect(await t.query(`SELECT COUNT(*) AS n FROM "Transition" WHERE "actor" = ?`, [`worker-${w}`])).toEqual([
        { n: cycles * 2 },
      ]);
    }
    // Every job went through exactly its two steps, with versions 1 and 2.
    const jobs = await t.query<{ id: string; version: number }>(`SELECT "id", "version" FROM "Job"`);
    const steps = await t.query<{ jobId: string; version: number }>(
      `SELECT "jobId", "version" FROM "Transition" WHERE "jobId" IS NOT NULL ORDER BY "id"`,
    );
    const versionsOf = groupBy(steps, (step) => step.jobId);
    const odd = jobs.filter(
      (job) =>
        job.version !== 2 ||
        versionsOf
          .get(job.id)
          ?.map((step) => step.version)
          .join() !== "1,2",
    );
    expect(odd).toEqual([]);
  });
});

describe("conflicting events fired at once", () => {
  it.each(KINDS)("on a %s: exactly one wins, the other gets INVALID_TRANSITION and writes nothing", async (kind) => {
    const service = serviceFor(t.services, kind);
    for (let round = 0; round < 10; round++) {
      const id = await createIn(t, kind, "IN_PROGRESS");
      const historyBefore = (await transitionRows(t, kind, id)).length;
      const events: EntityEvent[] =
        round % 2 === 0 ? ["SUCCESSFULLY_DONE", "ERROR_ENCOUNTERED"] : ["ERROR_ENCOUNTERED", "SUCCESSFULLY_DONE"];

      const results = await Promise.allSettled(events.map((e) => service.handleEvent(id, e)));

      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const winner = won[0]!.value;
      const error = lost[0]!.reason as DomainError;
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe("INVALID_TRANSITION");
      expect(error.details).toMatchObject({ from: winner.status, validEvents: [] });

      expect(await service.get(id)).toEqual(winner);
      const history = await transitionRows(t, kind, id);
      expect(history).toHaveLength(historyBefore + 1);
      expect(history.at(-1)).toMatchObject({ fromStatus: "IN_PROGRESS", toStatus: winner.status });
    }
  });

  it("with expectedVersion, the loser gets VERSION_CONFLICT and writes nothing", async () => {
    const id = await createIn(t, "Job", "IN_PROGRESS");
    const { version } = (await t.services.jobs.get(id))!;

    const results = await Promise.allSettled([
      t.services.jobs.handleEvent(id, "AWAITING_ON_INPUT", { expectedVersion: version }),
      t.services.jobs.handleEvent(id, "CANCEL_REQUESTED", { expectedVersion: version }),
      t.services.jobs.update(id, { name: "renamed" }, version),
    ]);

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r.reason as DomainError).code).toBe("VERSION_CONFLICT");
      expect((r.reason as DomainError).details).toMatchObject({ expected: version, actual: version + 1 });
    }
    const after = (await t.services.jobs.get(id))!;
    expect(after.version).toBe(version + 1);
    // Whichever won wrote once: an event one audit row, the edit none.
    const eventWon = results[2]!.status === "rejected";
    expect(after.name === "renamed").toBe(!eventWon);
    expect(await transitionRows(t, "Job", id)).toHaveLength(eventWon ? version + 1 : version);
  });
});

describe("the same work asked for at once", () => {
  it("one keyed event fired four times: every caller gets the entity it produced, with one transition", async () => {
    const id = await createIn(t, "Job", "IN_PROGRESS");
    const done = { idempotencyKey: "finish-once" };

    const results = await Promise.all(
      [1, 2, 3, 4].map(() => t.services.jobs.handleEvent(id, "SUCCESSFULLY_DONE", done)),
    );

    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]).toMatchObject({ status: "COMPLETED" });
    expect((await transitionRows(t, "Job", id)).filter((r) => r.idempotencyKey === "finish-once")).toHaveLength(1);
  });

  it("steps appended to one case at once take consecutive indexes and all add their cost", async () => {
    const id = await createIn(t, "Case", "IN_PROGRESS");
    const before = (await t.services.cases.get(id))!;

    await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.services.cases.addUpdate(id, { name: `step ${i}`, cost: 1 })),
    );

    const after = (await t.services.cases.get(id))!;
    expect(after).toMatchObject({ totalCostMicros: 8_000_000, version: before.version + 8 });
    const steps = (await t.services.cases.updatesOf([id])).get(id)!;
    expect(steps.map((step) => step.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(steps.map((step) => step.name)).size).toBe(8);
  });
});

describe("read-modify-write with expectedVersion retries", () => {
  it("loses no increment, even though callers interleave between read and write", async () => {
    const s = t.services;
    const mission = await s.missions.create({ name: "counter", metadata: { n: 0 } });
    let conflicts = 0;

    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 20; i++) {
          for (;;) {
            const current = (await s.missions.get(mission.id))!;
            try {
              await s.missions.update(
                mission.id,
                { metadata: { n: (current.metadata.n as number) + 1 } },
                current.version,
              );
              break;
            } catch (error) {
              if (!(error instanceof DomainError) || error.code !== "VERSION_CONFLICT") throw error;
              conflicts++;
            }
          }
        }
      }),
    );

    const final = (await s.missions.get(mission.id))!;
    expect(final.metadata).toEqual({ n: 200 });
    expect(final.version).toBe(200);
    // The callers really did overlap, or this test would prove nothing.
    expect(conflicts).toBeGreaterThan(0);
  });
});

describe("two connections to one database", () => {
  it("a stale read on one cannot overwrite a transition made on the other", async () => {
    const other = await t.openAnother();
    try {
      const a = t.services;
      const b = createServices(other.store);
      const id = await createIn(t, "Case", "IN_PROGRESS");
      const stale = (await b.cases.get(id))!;

      const done = await a.cases.handleEvent(id, "SUCCESSFULLY_DONE");

      await expectError(
        b.cases.handleEvent(id, "ERROR_ENCOUNTERED", { expectedVersion: stale.version }),
        "VERSION_CONFLICT",
        {
          expected: stale.version,
          actual: done.version,
        },
      );
      await expectError(b.cases.handleEvent(id, "ERROR_ENCOUNTERED"), "INVALID_TRANSITION", { from: "COMPLETED" });
      await expectError(b.cases.addUpdate(id, { name: "late", error: "boom" }), "ENTITY_FINISHED", {
        status: "COMPLETED",
      });
      expect(await b.cases.get(id)).toEqual(done);
      expect(await transitionRows(t, "Case", id)).toHaveLength(2);
    } finally {
      await other.close();
    }
  });
});
