// Lists: order by (createdAt, id), cursor pages, filters, counts, page-size rules, and the
// batched children pages the GraphQL loaders use.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { plainRecord } from "../../src/db/record-views.js";
import type { Page } from "../../src/domain/entities.js";
import { createServices, type Services } from "../../src/services/services.js";
import { expectError } from "../support/errors.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(() => t.dispose());

/** Services whose clock hands out the given times in turn, so that ties in createdAt are certain. */
function servicesAt(times: string[]): Services {
  let i = 0;
  return createServices(t.database.store, () => new Date(times[Math.min(i++, times.length - 1)]!));
}

/** Every item of a list, page by page, checking the cursors as it goes. */
async function walk<T>(list: (after?: string) => Promise<Page<T>>, pageSize: number): Promise<T[]> {
  const seen: T[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await list(after);
    expect(page.items.length).toBeLessThanOrEqual(pageSize);
    expect(page.cursors).toHaveLength(page.items.length);
    seen.push(...page.items);
    if (!page.hasNextPage) return seen;
    expect(page.items.length).toBe(pageSize);
    after = page.cursors.at(-1);
  }
  throw new Error("the list never ended");
}

describe("ordering", () => {
  it("is by createdAt, then id, whatever the insertion order", async () => {
    const s = servicesAt([
      "2026-03-01T00:00:02.000Z",
      "2026-03-01T00:00:01.000Z",
      "2026-03-01T00:00:01.000Z",
      "2026-03-01T00:00:03.000Z",
      "2026-03-01T00:00:01.000Z",
    ]);
    for (const id of ["m-late", "m-b", "m-c", "m-last", "m-a"]) await s.missions.create({ id, name: id });

    const page = await s.missions.list({});
    expect(page.items.map((m) => m.id)).toEqual(["m-a", "m-b", "m-c", "m-late", "m-last"]);
    expect(page.hasNextPage).toBe(false);
  });

  it("orders by time, not by the text of the id or insertion", async () => {
    const s = servicesAt(["2026-03-01T00:00:09.000Z", "2026-03-01T00:00:01.000Z", "2026-03-01T00:00:05.000Z"]);
    for (const id of ["a", "z", "m"]) await s.jobs.create({ id, name: id, agentName: "x" });
    expect((await s.jobs.listJobs({})).items.map((j) => j.id)).toEqual(["z", "m", "a"]);
  });
});

describe("cursor pages", () => {
  it("visit every entity exactly once, in list order, for every page size", async () => {
    // Many entities share each createdAt, so that pages break inside groups of ties.
    const times = Array.from({ length: 23 }, (_, i) => `2026-03-01T00:00:0${Math.floor(i / 5)}.000Z`);
    const s = servicesAt(times);
    const ids = Array.from({ length: 23 }, (_, i) => `case-${String((i * 7) % 23).padStart(2, "0")}`);
    const job = await t.services.jobs.create({ id: "job", name: "j", agentName: "a" });
    for (const id of ids) await s.cases.start({ id, jobId: job.id, name: id });
    const full = (await s.cases.listCases({ first: 500 })).items.map((c) => c.id);
    expect([...full].sort()).toEqual([...ids].sort());

    for (const size of [1, 2, 5, 7, 22, 23, 24]) {
      const seen = await walk((after) => s.cases.listCases({ first: size, after }), size);
      expect(
        seen.map((c) => c.id),
        `page size ${size}`,
      ).toEqual(full);
    }
  });

  it("an empty list has no next page", async () => {
    const page = await t.services.missions.list({});
    expect({ items: page.items, cursors: page.cursors, hasNextPage: page.hasNextPage }).toEqual({
      items: [],
      cursors: [],
      hasNextPage: false,
    });
  });

  it("a cursor stays valid when the entity it points at is deleted", async () => {
    const s = servicesAt(["2026-03-01T00:00:01.000Z", "2026-03-01T00:00:02.000Z", "2026-03-01T00:00:03.000Z"]);
    for (const id of ["a", "b", "c"]) await s.missions.create({ id, name: id });
    const first = await s.missions.list({ first: 1 });
    await s.missions.delete("a");
    expect((await s.missions.list({ after: first.cursors[0] })).items.map((m) => m.id)).toEqual(["b", "c"]);
  });
});

describe("filters and counts", () => {
  async function populate() {
    const s = t.services;
    await s.missions.create({ id: "m1", name: "m1" });
    await s.missions.create({ id: "m2", name: "m2" });
    await s.missions.handleEvent("m2", "START_WORK");
    const jobs = [
      { id: "j1", missionId: "m1", agentName: "writer" },
      { id: "j2", missionId: "m1", agentName: "reader" },
      { id: "j3", missionId: "m2", agentName: "writer" },
      { id: "j4", missionId: null, agentName: "writer" },
    ];
    for (const j of jobs) await s.jobs.create({ ...j, name: j.id });
    await s.jobs.handleEvent("j1", "START_WORK");
    await s.jobs.handleEvent("j3", "START_WORK");
    await s.jobs.handleEvent("j3", "AWAITING_ON_INPUT");
    await s.cases.start({ id: "c1", jobId: "j1", name: "c1" });
    await s.cases.start({ id: "c2", jobId: "j1", name: "c2" });
    await s.cases.start({ id: "c3", jobId: "j2", name: "c3" });
    await s.cases.handleEvent("c2", "SUCCESSFULLY_DONE");
  }

  it("by status", async () => {
    await populate();
    const s = t.services;
    const ids = async (p: Promise<Page<{ id: string }>>) => (await p).items.map((x) => x.id);
    expect(await ids(s.missions.list({ status: ["STOPPED"] }))).toEqual(["m1"]);
    expect(await ids(s.jobs.listJobs({ status: ["IN_PROGRESS", "AWAITING"] }))).toEqual(["j1", "j3"]);
    expect(await ids(s.jobs.listJobs({ status: ["COMPLETED"] }))).toEqual([]);
    expect(await ids(s.cases.listCases({ status: ["COMPLETED"] }))).toEqual(["c2"]);
    expect(await s.jobs.countJobs({ status: ["IN_PROGRESS", "AWAITING"] })).toBe(2);
    expect(await s.cases.countCases({ status: ["IN_PROGRESS"] })).toBe(2);
  });

  it("by parent and agentName, alone and together", async () => {
    await populate();
    const s = t.services;
    const ids = async (p: Promise<Page<{ id: string }>>) => (await p).items.map((x) => x.id);
    expect(await ids(s.jobs.listJobs({ missionId: "m1" }))).toEqual(["j1", "j2"]);
    expect(await ids(s.jobs.listJobs({ agentName: "writer" }))).toEqual(["j1", "j3", "j4"]);
    expect(await ids(s.jobs.listJobs({ agentName: "writer", missionId: "m1" }))).toEqual(["j1"]);
    expect(await ids(s.jobs.listJobs({ agentName: "writer", status: ["STOPPED"] }))).toEqual(["j4"]);
    expect(await ids(s.jobs.listJobs({ missionId: "no-such-mission" }))).toEqual([]);
    expect(await ids(s.cases.listCases({ jobId: "j1" }))).toEqual(["c1", "c2"]);
    expect(await ids(s.cases.listCases({ jobId: "j1", status: ["IN_PROGRESS"] }))).toEqual(["c1"]);
    expect(await s.jobs.countJobs({ missionId: "m1" })).toBe(2);
    expect(await s.jobs.countJobs({ agentName: "writer" })).toBe(3);
    expect(await s.cases.countCases({ jobId: "j1" })).toBe(2);
  });

  it("count is the number of everything the filter lets through, across pages", async () => {
    await populate();
    const s = t.services;
    expect(await s.missions.count({})).toBe(2);
    expect(await s.jobs.countJobs({})).toBe(4);
    expect(await s.cases.countCases({})).toBe(3);
    const all = await walk((after) => s.jobs.listJobs({ agentName: "writer", first: 1, after }), 1);
    expect(all).toHaveLength(await s.jobs.countJobs({ agentName: "writer" }));
  });
});

describe("page size", () => {
  /** `n` missions written in one statement, 1 ms apart, straight into the table. */
  async function createMissions(n: number) {
    const rows = Array.from({ length: n }, (_, i) => [
      `m-${String(i).padStart(4, "0")}`,
      "m",
      // The text SQLite's codec writes (src/db/sqlite/codec.ts), which PostgreSQL reads as well.
      new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString().replace("Z", "+00:00"),
      "2026-01-01T00:00:00.000+00:00",
    ]);
    await t.execute(
      `INSERT INTO "Mission" ("id", "name", "metadata", "createdAt", "updatedAt")
       VALUES ${rows.map(() => `(?, ?, '{}', ?, ?)`).join(", ")}`,
      rows.flat(),
    );
  }

  it("defaults to 50", async () => {
    await createMissions(60);
    const page = await t.services.missions.list({});
    expect(page.items).toHaveLength(50);
    expect(page.hasNextPage).toBe(true);
    expect((await t.services.missions.list({ first: null })).items).toHaveLength(50);
  });

  it("goes up to 500, and 501 is BAD_USER_INPUT rather than silently cut", async () => {
    await createMissions(520);
    const page = await t.services.missions.list({ first: 500 });
    expect(page.items).toHaveLength(500);
    expect(page.hasNextPage).toBe(true);
    await expectError(t.services.missions.list({ first: 501 }), "BAD_USER_INPUT", { field: "first" });
    await expectError(t.services.childrenPages("Job", ["m-0000"], { first: 501 }), "BAD_USER_INPUT", {
      field: "first",
    });
    await expectError(t.services.transitionPages("Mission", ["m-0000"], { first: 501 }), "BAD_USER_INPUT", {
      field: "first",
    });
  });

  it("0 gives an empty page that says whether there is more", async () => {
    await createMissions(1);
    const page = await t.services.missions.list({ first: 0 });
    expect({ items: page.items, cursors: page.cursors, hasNextPage: page.hasNextPage }).toEqual({
      items: [],
      cursors: [],
      hasNextPage: true,
    });
  });
});

describe("bad cursors", () => {
  const cursor = (...parts: (string | number)[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");
  // A cursor holds its list and order, then the keys of one item (src/db/cursor.ts).
  const missionCursor = (...keys: (string | number)[]) => cursor("Mission", "createdAt,id", ...keys);
  const transitionCursor = (id: number) => cursor("Mission.transitions", "id", id);

  // Made up rather than handed out: refused alike on both engines, though PostgreSQL would not
  // even take the time or id of some as a parameter.
  it.each([
    ["garbage", "not a cursor"],
    ["empty", ""],
    ["valid base64 of non-JSON", Buffer.from("hello").toString("base64url")],
    ["a cursor of the wrong shape", missionCursor(1, 2)],
    ["a cursor that names no list", cursor("2026-01-01T00:00:00.000Z", "m")],
    ["a cursor of the list in another order", cursor("Mission", "name,id", "2026-01-01T00:00:00.000Z", "m")],
    ["a transitions cursor", transitionCursor(3)],
    ["a cursor whose time is no date", missionCursor("2026-13-45T00:00:00.000Z", "m")],
    ["a cursor from before year 1", missionCursor("0000-01-01T00:00:00.000Z", "m")],
    ["a cursor from after year 9999", missionCursor("+010000-01-01T00:00:00.000Z", "m")],
    ["a cursor whose id holds a NUL", missionCursor("2026-01-01T00:00:00.000Z", "m\u0000")],
  ])("%s is BAD_USER_INPUT", async (_name, after) => {
    await t.services.missions.create({ id: "m", name: "m" });
    await expectError(t.services.missions.list({ after }), "BAD_USER_INPUT", { field: "after" });
    await expectError(t.services.jobs.listJobs({ after }), "BAD_USER_INPUT", { field: "after" });
    await expectError(t.services.childrenPages("Job", ["m"], { after }), "BAD_USER_INPUT", { field: "after" });
  });

  it.each([
    ["a fraction", 1.5],
    ["beyond the integers a double holds", 1e20],
  ])("a transitions cursor holding %s is BAD_USER_INPUT", async (_name, id) => {
    const m = await t.services.missions.create({ name: "m" });
    await expectError(
      t.services.transitionPages("Mission", [m.id], { after: transitionCursor(id) }),
      "BAD_USER_INPUT",
      {
        field: "after",
      },
    );
  });

  it("a transitions cursor past every id gives an empty page, however large", async () => {
    const m = await t.services.missions.create({ name: "m" });
    await t.services.missions.handleEvent(m.id, "START_WORK");
    for (const id of [2 ** 31, Number.MAX_SAFE_INTEGER]) {
      const page = (await t.services.transitionPages("Mission", [m.id], { after: transitionCursor(id) })).get(m.id)!;
      expect({ items: page.items, hasNextPage: page.hasNextPage }).toEqual({ items: [], hasNextPage: false });
    }
  });

  it("a cursor of one list is refused by every other list, naming both", async () => {
    const m = await t.services.missions.create({ id: "m", name: "m" });
    const job = await t.services.jobs.create({ name: "j", agentName: "a", missionId: m.id });
    await t.services.jobs.handleEvent(job.id, "START_WORK");
    await t.services.cases.start({ jobId: job.id, name: "c" });
    const caseCursor = (await t.services.cases.listCases({})).cursors[0]!;
    const jobCursor = (await t.services.jobs.listJobs({})).cursors[0]!;
    const jobTransitionCursor = (await t.services.transitionPages("Job", [job.id], {})).get(job.id)!.cursors[0]!;

    const refused = await expectError(t.services.jobs.listJobs({ after: caseCursor }), "BAD_USER_INPUT", {
      field: "after",
    });
    expect(refused.message).toMatch(/another list \(Case by createdAt,id\), not of Job by createdAt,id/);
    await expectError(t.services.childrenPages("Job", [m.id], { after: caseCursor }), "BAD_USER_INPUT", {
      field: "after",
    });
    await expectError(t.services.missions.list({ after: jobCursor }), "BAD_USER_INPUT", { field: "after" });
    await expectError(t.services.transitionPages("Case", ["x"], { after: jobTransitionCursor }), "BAD_USER_INPUT", {
      field: "after",
    });
    // Its own list takes it, at the top level as among a parent's children.
    expect((await t.services.jobs.listJobs({ after: jobCursor })).items).toEqual([]);
    expect((await t.services.childrenPages("Job", [m.id], { after: jobCursor })).get(m.id)!.items).toEqual([]);
  });

  it("an entity list cursor is refused by the transitions list", async () => {
    const m = await t.services.missions.create({ name: "m" });
    await t.services.missions.handleEvent(m.id, "START_WORK");
    const cursor = (await t.services.missions.list({})).cursors[0]!;
    await expectError(t.services.transitionPages("Mission", [m.id], { after: cursor }), "BAD_USER_INPUT", {
      field: "after",
    });
  });
});

describe("childrenPages", () => {
  async function tree() {
    const s = servicesAt(Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()));
    for (const m of ["m1", "m2", "m3"]) await s.missions.create({ id: m, name: m });
    // m1: 5 jobs, m2: 2 jobs, m3: none; plus a job without a mission.
    for (let i = 0; i < 5; i++) await s.jobs.create({ id: `m1-j${i}`, name: "j", agentName: "a", missionId: "m1" });
    for (let i = 0; i < 2; i++) await s.jobs.create({ id: `m2-j${i}`, name: "j", agentName: "a", missionId: "m2" });
    await s.jobs.create({ id: "lonely", name: "j", agentName: "a" });
    await s.jobs.handleEvent("m1-j1", "START_WORK");
    await s.jobs.handleEvent("m1-j3", "START_WORK");
    for (let i = 0; i < 4; i++) await s.cases.start({ id: `m1-j0-c${i}`, jobId: "m1-j0", name: "c" });
    await s.cases.start({ id: "m2-j0-c0", jobId: "m2-j0", name: "c" });
    return s;
  }

  it("gives each parent its own first N, in list order, in one statement", async () => {
    const s = await tree();
    const before = t.database.statementsExecuted;
    const pages = await s.childrenPages("Job", ["m1", "m2", "m3", "no-such-mission"], { first: 3 });
    expect(t.database.statementsExecuted - before).toBe(1);

    const summary = Object.fromEntries(
      [...pages].map(([id, p]) => [id, { ids: p.items.map((j: { id: string }) => j.id), more: p.hasNextPage }]),
    );
    expect(summary).toEqual({
      m1: { ids: ["m1-j0", "m1-j1", "m1-j2"], more: true },
      m2: { ids: ["m2-j0", "m2-j1"], more: false },
      m3: { ids: [], more: false },
      "no-such-mission": { ids: [], more: false },
    });
    // Each page's cursors continue that parent's own list.
    const m1 = pages.get("m1")!;
    const next = await s.jobs.listJobs({ missionId: "m1", first: 3, after: m1.cursors.at(-1) });
    expect(next.items.map((j) => j.id)).toEqual(["m1-j3", "m1-j4"]);
  });

  it("filters by status and works for the cases of jobs", async () => {
    const s = await tree();
    const running = await s.childrenPages("Job", ["m1", "m2"], { status: ["IN_PROGRESS"] });
    expect(running.get("m1")!.items.map((j: { id: string }) => j.id)).toEqual(["m1-j1", "m1-j3"]);
    expect(running.get("m2")!.items).toEqual([]);

    const before = t.database.statementsExecuted;
    const cases = await s.childrenPages("Case", ["m1-j0", "m2-j0", "m1-j1"], { first: 2 });
    expect(t.database.statementsExecuted - before).toBe(1);
    expect(cases.get("m1-j0")!.items.map((c: { id: string }) => c.id)).toEqual(["m1-j0-c0", "m1-j0-c1"]);
    expect(cases.get("m1-j0")!.hasNextPage).toBe(true);
    expect(cases.get("m2-j0")!.items.map((c: { id: string }) => c.id)).toEqual(["m2-j0-c0"]);
    expect(cases.get("m1-j1")!.items).toEqual([]);
  });

  it("returns views of the same records as get()", async () => {
    const s = await tree();
    const page = (await s.childrenPages("Job", ["m1"], {})).get("m1")!;
    expect(page.items).toHaveLength(5);
    for (const job of page.items) expect(plainRecord(job)).toEqual(await s.jobs.get(job.id));
  });

  it("counts children per parent in one statement", async () => {
    const s = await tree();
    const before = t.database.statementsExecuted;
    const counts = await s.childrenCounts("Job", ["m1", "m2", "m3"]);
    expect(t.database.statementsExecuted - before).toBe(1);
    expect(Object.fromEntries(counts)).toEqual({ m1: 5, m2: 2, m3: 0 });
  });
});

describe("transitionPages", () => {
  it("lists each entity's transitions oldest first, page by page", async () => {
    const s = t.services;
    const a = await s.jobs.create({ id: "a", name: "a", agentName: "x" });
    const b = await s.jobs.create({ id: "b", name: "b", agentName: "x" });
    for (const event of ["START_WORK", "AWAITING_ON_INPUT", "INPUT_RECEIVED", "AWAITING_ON_INPUT"] as const) {
      await s.jobs.handleEvent(a.id, event);
    }
    await s.jobs.handleEvent(b.id, "START_WORK");

    const before = t.database.statementsExecuted;
    const pages = await s.transitionPages("Job", [a.id, b.id], { first: 3 });
    expect(t.database.statementsExecuted - before).toBe(1);
    expect(pages.get(a.id)!.items.map((x) => x.version)).toEqual([1, 2, 3]);
    expect(pages.get(a.id)!.hasNextPage).toBe(true);
    expect(pages.get(b.id)!.items.map((x) => x.event)).toEqual(["START_WORK"]);

    const rest = await walk(
      async (after) => (await s.transitionPages("Job", [a.id], { first: 1, after })).get(a.id)!,
      1,
    );
    expect(rest.map((x) => x.event)).toEqual([
      "START_WORK",
      "AWAITING_ON_INPUT",
      "INPUT_RECEIVED",
      "AWAITING_ON_INPUT",
    ]);
    expect(Object.fromEntries(await s.transitionCounts("Job", [a.id, b.id, "none"]))).toEqual({ a: 4, b: 1, none: 0 });
  });
});

describe("delete", () => {
  it.each(["missions", "jobs", "cases"] as const)(
    "%s: false for a missing id, true once for an existing one",
    async (which) => {
      const s = t.services;
      expect(await s[which].delete("no-such-id")).toBe(false);
      const job = await s.jobs.create({ name: "j", agentName: "a" });
      const id =
        which === "missions"
          ? (await s.missions.create({ name: "m" })).id
          : which === "jobs"
            ? job.id
            : (await s.cases.start({ jobId: job.id, name: "c" })).id;
      // A started case is running: deleting it is deliberate.
      expect(await s[which].delete(id, which === "cases")).toBe(true);
      expect(await s[which].get(id)).toBeNull();
      expect(await s[which].delete(id)).toBe(false);
    },
  );
});
