// Rows casebook writes must be what Prisma Client (and so Prisma Studio) reads, and the other
// way round: same dates, JSON, enums, booleans and numbers through both.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TransitionRecord } from "../../src/domain/entities.js";
import { type CasebookPrismaClient, createPrismaClient } from "../../src/prisma-client.js";
import { openTempDatabase, type TempDatabase } from "../support/database.js";

let t: TempDatabase;
let prisma: CasebookPrismaClient | undefined;
beforeEach(() => {
  t = openTempDatabase();
});
afterEach(async () => {
  await prisma?.$disconnect();
  prisma = undefined;
  t.dispose();
});

function connectPrisma(options: { readonly?: boolean } = {}) {
  prisma = createPrismaClient({ databasePath: t.file, ...options });
  return prisma;
}

const STORED_TYPE = { Mission: "MISSION", Job: "JOB", Case: "CASE" } as const;

/** A transition as Prisma's Transition model holds it. */
function asPrismaTransition(r: TransitionRecord) {
  const { entityId, entityType, ...rest } = r;
  return {
    ...rest,
    entityType: STORED_TYPE[entityType],
    missionId: entityType === "Mission" ? entityId : null,
    jobId: entityType === "Job" ? entityId : null,
    caseId: entityType === "Case" ? entityId : null,
  };
}

/** A row with Prisma's bigint fields (costs in micro-units) as the numbers casebook's records hold. */
function withNumbers<R extends object>(row: R): R {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])) as R;
}

async function writeThroughServices() {
  const s = t.services;
  await s.missions.create({
    id: "m1",
    name: "Mission ü",
    description: "multi\nline",
    metadata: { nested: { list: [1, 2.5, "x", null, true] } },
  });
  await s.missions.create({ id: "m2", name: "bare" });
  await s.missions.handleEvent("m1", "START_WORK", { actor: "ops", reason: "because" });
  await s.jobs.create({
    id: "j1",
    name: "job",
    agentName: "writer",
    missionId: "m1",
    jobContext: { repo: "x/y", depth: 3 },
    payload: ["a", { b: 1 }],
    agentParameters: 0.7,
  });
  await s.jobs.handleEvent("j1", "START_WORK", { idempotencyKey: "start-j1" });
  await s.jobs.update("j1", { result: "plain string", error: "soft error" });
  await s.jobs.create({ id: "j2", name: "orphan", agentName: "reader" });
  await s.cases.start({ id: "c1", jobId: "j1", name: "case", description: "d", metadata: { k: "v" } });
  await s.cases.addUpdate("c1", { name: "step 1", cost: 0.1, payload: { q: 1 } });
  await s.cases.addUpdate("c1", { name: "step 2", cost: 0.2, payload: 7, isFinal: true });
  await s.cases.handleEvent("c1", "SUCCESSFULLY_DONE");
  await s.cases.start({ id: "c2", jobId: "j1", name: "fails" });
  await s.cases.addUpdate("c2", { error: "boom" });
}

describe("rows written by the services", () => {
  it("read back identically through Prisma Client", async () => {
    await writeThroughServices();
    const s = t.services;
    const expected = {
      missions: [(await s.missions.get("m1"))!, (await s.missions.get("m2"))!],
      jobs: [(await s.jobs.get("j1"))!, (await s.jobs.get("j2"))!],
      cases: [(await s.cases.get("c1"))!, (await s.cases.get("c2"))!],
      updates: [...(await s.cases.updatesOf(["c1", "c2"])).values()].flat(),
      transitions: [
        ...(await s.transitionPages("Mission", ["m1", "m2"], { first: 500 })).values(),
        ...(await s.transitionPages("Job", ["j1", "j2"], { first: 500 })).values(),
        ...(await s.transitionPages("Case", ["c1", "c2"], { first: 500 })).values(),
      ]
        .flatMap((p) => p.items)
        .sort((a, b) => a.id - b.id),
    };
    t.close();

    const client = connectPrisma({ readonly: true });
    const actual = {
      missions: await client.mission.findMany({ orderBy: { id: "asc" } }),
      jobs: await client.job.findMany({ orderBy: { id: "asc" } }),
      cases: await client.case.findMany({ orderBy: { id: "asc" } }),
      updates: await client.caseUpdate.findMany({ orderBy: [{ caseId: "asc" }, { index: "asc" }] }),
      transitions: await client.transition.findMany({ orderBy: { id: "asc" } }),
    };

    expect(actual.missions).toEqual(expected.missions);
    expect(actual.jobs).toEqual(expected.jobs);
    expect(actual.cases.map(withNumbers)).toEqual(expected.cases);
    expect(actual.updates.map(withNumbers)).toEqual(expected.updates);
    const withoutSnapshots = actual.transitions.map(({ resultSnapshot: _snapshot, ...rest }) => rest);
    expect(withoutSnapshots).toEqual(expected.transitions.map(asPrismaTransition));
    // Only a keyed transition keeps the entity as it left it, as JSON Prisma reads too.
    const keyed = actual.transitions.filter((x) => x.idempotencyKey !== null);
    expect(keyed.map((x) => x.resultSnapshot)).toEqual([
      expect.objectContaining({ id: "j1", status: "IN_PROGRESS", version: 1 }),
    ]);
    expect(actual.transitions.filter((x) => x.idempotencyKey === null).every((x) => x.resultSnapshot === null)).toBe(
      true,
    );
    // Spot checks of what the comparisons above cover, so that a change in both sides shows.
    expect(actual.missions[0]!.createdAt).toBeInstanceOf(Date);
    expect(actual.missions[0]!.metadata).toEqual({ nested: { list: [1, 2.5, "x", null, true] } });
    expect(actual.missions[1]!.metadata).toEqual({});
    expect(actual.jobs[0]!.result).toBe("plain string");
    expect(actual.cases[0]!.finalDelivery).toBe(7);
    expect(actual.cases[0]!.totalCostMicros).toBe(300_000n);
    expect(actual.cases[1]!.status).toBe("FAILED");
    expect(actual.updates.map((u) => u.isFinal)).toEqual([false, true, false]);
    expect(actual.transitions.filter((x) => x.jobId === "j1").map((x) => x.idempotencyKey)).toEqual(["start-j1"]);
  });
});

describe("rows written by Prisma Client", () => {
  it("read back identically through the services, which can carry on with them", async () => {
    t.close();
    const client = connectPrisma();
    const mission = await client.mission.create({
      data: { id: "pm", name: "from prisma", metadata: { a: [1, { b: null }] } },
    });
    const job = await client.job.create({
      data: {
        id: "pj",
        name: "job",
        agentName: "studio",
        missionId: "pm",
        metadata: {},
        payload: "text",
        jobContext: { x: 1 },
      },
    });
    const kase = await client.case.create({
      data: { id: "pc", name: "case", jobId: "pj", metadata: {}, totalCostMicros: 1_250_000n },
    });
    const update = await client.caseUpdate.create({
      data: { caseId: "pc", index: 0, name: "s", costMicros: 1_250_000n, isFinal: true, at: new Date() },
    });
    await client.$disconnect();
    prisma = undefined;

    t = t.reopen();
    const s = t.services;
    expect(await s.missions.get("pm")).toEqual(mission);
    expect(await s.jobs.get("pj")).toEqual(job);
    expect(await s.cases.get("pc")).toEqual(withNumbers(kase));
    expect((await s.cases.updatesOf(["pc"])).get("pc")).toEqual([withNumbers(update)]);

    const started = await s.missions.handleEvent("pm", "START_WORK");
    expect(started).toMatchObject({ status: "IN_PROGRESS", version: 1, createdAt: mission.createdAt });
    const next = await s.cases.addUpdate("pc", { cost: 0.5 });
    expect(next.totalCostMicros).toBe(1_750_000);
    expect((await s.cases.updatesOf(["pc"])).get("pc")!.map((u) => u.index)).toEqual([0, 1]);
  });
});

describe("createPrismaClient()", () => {
  it("opens the database the service is configured for when given no path", async () => {
    await t.services.missions.create({ id: "configured", name: "found by DATABASE_URL" });
    t.close();
    const before = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `file:${t.file}`;
    try {
      prisma = createPrismaClient({ readonly: true });
      expect(await prisma.mission.findMany({ select: { id: true, name: true } })).toEqual([
        { id: "configured", name: "found by DATABASE_URL" },
      ]);
    } finally {
      if (before === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = before;
    }
  });
});
