// Every statement to PostgreSQL is a round trip over the network, so the hot paths are counted:
// a lifecycle event is one read and one data-modifying statement, with or without an
// idempotency key, and a retry of a keyed event is one read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/database.js";
import { openDatabase } from "../../../src/db/open.js";
import { createServices, type Services } from "../../../src/services/services.js";
import { createTestDatabase, type TestDatabase } from "../../support/postgres.js";

let database: TestDatabase;
let db: Database;
let services: Services;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ db } = await openDatabase({ database: { engine: "postgresql", url: database.url } }));
  services = createServices(db.store);
  await services.missions.create({ id: "m1", name: "mission" });
  await services.jobs.create({ id: "j1", name: "job", agentName: "agent", missionId: "m1" });
});

afterAll(async () => {
  await db.close();
  await database.drop();
});

async function roundTrips(work: () => Promise<unknown>): Promise<number> {
  const before = db.statementsExecuted;
  await work();
  return db.statementsExecuted - before;
}

describe("round trips on PostgreSQL", () => {
  it("a lifecycle event: two, by event or by target status, with or without a key", async () => {
    expect(await roundTrips(() => services.jobs.handleEvent("j1", "START_WORK"))).toBe(2);
    expect(await roundTrips(() => services.jobs.transition("j1", "AWAITING", { idempotencyKey: "wait-1" }))).toBe(2);
    expect(await roundTrips(() => services.jobs.handleEvent("j1", "INPUT_RECEIVED", { expectedVersion: 2 }))).toBe(2);
  });

  it("the retry of a keyed event: one read, which finds the first call's result", async () => {
    await services.missions.handleEvent("m1", "START_WORK", { idempotencyKey: "start-m1" });
    let retried: unknown;
    expect(
      await roundTrips(async () => {
        retried = await services.missions.handleEvent("m1", "START_WORK", { idempotencyKey: "start-m1" });
      }),
    ).toBe(1);
    expect(retried).toMatchObject({ id: "m1", status: "IN_PROGRESS", version: 1 });
  });

  it("a refused event: one read, and nothing written", async () => {
    expect(
      await roundTrips(() => services.missions.handleEvent("m1", "START_WORK").catch((error: unknown) => error)),
    ).toBe(1);
    expect((await services.missions.get("m1"))!.version).toBe(1);
  });

  it("a read by id and a page of children: one each", async () => {
    expect(await roundTrips(() => services.jobs.getMany(["j1", "missing"]))).toBe(1);
    expect(await roundTrips(() => services.childrenPages("Job", ["m1", "m2"], { first: 10 }))).toBe(1);
  });
});
