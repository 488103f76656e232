// The queries a UI writes, over HTTP: lists in every order walked both ways, the filters, the
// status counts and case aggregates, transitions newest first, and the dashboard's five queries
// (README, "Queries for dashboards"). Expected orders are computed here from the records, not
// read back with the SQL under test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntityRecord, JobRecord } from "../../src/domain/entities.js";
import { ENTITY_STATUSES, type EntityStatus, RUNNING_STATUSES } from "../../src/domain/lifecycle.js";
import {
  type EntityOrder,
  FailedCasesOfJobDocument,
  JobTransitionsDocument,
  LatestTransitionsDocument,
  MissionCostAndCountsDocument,
  MissionsCaseTotalsDocument,
  MissionsWithOrderedJobsDocument,
  OrderedCasesDocument,
  type OrderedCasesQuery,
  type OrderedCasesQueryVariables,
  OrderedJobsDocument,
  type OrderedJobsQuery,
  type OrderedJobsQueryVariables,
  RunningJobsNewestFirstDocument,
  SearchCasesDocument,
} from "../generated/graphql.js";
import { dataOf, errorOf, startTestServer, type TestServer } from "../support/http.js";
import { queryRows } from "../support/rows.js";

const JOBS = 24;
const pad = (n: number) => String(n).padStart(2, "0");

type Field = "CREATED_AT" | "UPDATED_AT" | "FINISHED_AT" | "NAME" | "TOTAL_COST";
type JobField = Exclude<Field, "TOTAL_COST">;
type Direction = "ASC" | "DESC";
const FIELDS: JobField[] = ["CREATED_AT", "UPDATED_AT", "FINISHED_AT", "NAME"];

const KEY: Record<Field, string> = {
  CREATED_AT: "createdAt",
  UPDATED_AT: "updatedAt",
  FINISHED_AT: "finishedAt",
  NAME: "name",
  TOTAL_COST: "totalCostMicros",
};

/** Records sorted as the lists promise: by the field (null finishedAt after every time), then id. */
function sortedIds(records: EntityRecord[], field: Field, direction: Direction): string[] {
  const value = (r: EntityRecord): number | string | null => {
    const v = (r as unknown as Record<string, unknown>)[KEY[field]];
    if (v === null || v === undefined) return null;
    return v instanceof Date ? v.getTime() : (v as number | string);
  };
  const ascending = [...records].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const ids = ascending.map((r) => r.id);
  return direction === "ASC" ? ids : ids.reverse();
}

/** How many of `statuses` are in each status, as statusCounts lists them. */
function tally(statuses: readonly EntityStatus[]) {
  return ENTITY_STATUSES.flatMap((status) => {
    const count = statuses.filter((s) => s === status).length;
    return count > 0 ? [{ status, count }] : [];
  });
}

describe("queries a UI needs", () => {
  let server: TestServer;
  let jobs: JobRecord[];

  /** The jobs seeded below, as they are now. */
  async function allJobs(): Promise<JobRecord[]> {
    const s = server.app.services;
    const ids = Array.from({ length: JOBS }, (_, i) => `job-${pad(i)}`);
    return (await Promise.all(ids.map((id) => s.jobs.get(id)))).map((job) => job!);
  }

  beforeAll(async () => {
    server = await startTestServer({ SQLITE_SYNCHRONOUS: "NORMAL", DEADLINE_SWEEP_INTERVAL_MS: "3600000" });
    const s = server.app.services;
    await s.missions.create({ id: "m-a", name: "Alpha launch", description: "Quarterly REPORT for the board" });
    await s.missions.create({ id: "m-b", name: "beta" });
    await s.missions.create({ id: "m-c", name: "gamma" });
    for (let i = 0; i < JOBS; i++) {
      const id = `job-${pad(i)}`;
      const missionId = i < 8 ? "m-a" : i < 16 ? "m-b" : null;
      // Names repeat, so that ties are broken by id.
      await s.jobs.create({ id, name: `n${(i * 7) % 10}`, agentName: i % 3 ? "writer" : "reader", missionId });
      if (i % 4 === 0) continue;
      await s.jobs.handleEvent(id, "START_WORK");
      if (i % 4 === 1) {
        for (let c = 0; c < 3; c++) {
          const caseId = `case-${pad(i)}-${c}`;
          await s.cases.start({
            id: caseId,
            jobId: id,
            name: `case ${i}.${c}`,
            description: c === 1 ? "the Weekly Report draft" : null,
          });
          await s.cases.addUpdate(caseId, { cost: 0.5 * c + i / 100 });
          if (c === 2) await s.cases.addUpdate(caseId, { error: "tool failed" });
        }
      }
      if (i % 4 === 2) await s.jobs.handleEvent(id, "SUCCESSFULLY_DONE");
      if (i % 4 === 3) await s.jobs.handleEvent(id, "ERROR_ENCOUNTERED", { reason: "boom" });
    }
    jobs = await allJobs();
  });

  afterAll(() => server?.stop());

  async function jobsPage(variables: OrderedJobsQueryVariables) {
    return dataOf(await server.request(OrderedJobsDocument, variables)).jobs;
  }

  /** Every page forward (first, after) and every page backward (last, before): ids in reading order. */
  async function walkBothWays(variables: OrderedJobsQueryVariables, size: number) {
    const forward: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: OrderedJobsQuery["jobs"] = await jobsPage({ ...variables, first: size, after });
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      forward.push(...page.edges.map((e) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page: OrderedJobsQuery["jobs"] = await jobsPage({ ...variables, last: size, before });
      expect(page.pageInfo.hasNextPage).toBe(before !== null);
      expect(page.edges.length).toBeLessThanOrEqual(size);
      backward.unshift(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    return { forward, backward, pages };
  }

  describe("orders", () => {
    for (const field of FIELDS) {
      for (const direction of ["ASC", "DESC"] as const) {
        it(`jobs by ${field} ${direction}: forward and backward walks see the list in order, each job once`, async () => {
          const expected = sortedIds(jobs, field, direction);
          const { forward, backward, pages } = await walkBothWays({ orderBy: { field, direction } }, 5);
          expect(forward).toEqual(expected);
          expect(backward).toEqual(expected);
          expect(pages).toBe(Math.ceil(JOBS / 5));
        });
      }
    }

    it("cases by TOTAL_COST, most expensive first, forward and backward", async () => {
      const cases = await server.app.services.cases.listCases({ first: 500 });
      const expected = sortedIds(cases.items, "TOTAL_COST", "DESC");
      const variables: OrderedCasesQueryVariables = { orderBy: { field: "TOTAL_COST", direction: "DESC" } };
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { cases: page }: OrderedCasesQuery = dataOf(
          await server.request(OrderedCasesDocument, { ...variables, first: 4, after }),
        );
        seen.push(...page.edges.map((e) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor ?? null;
      }
      expect(seen).toEqual(expected);
      const { cases: last } = dataOf(await server.request(OrderedCasesDocument, { ...variables, last: 4 }));
      expect(last.edges.map((e) => e.node.id)).toEqual(expected.slice(-4));
      expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    });

    it("a mission's cases by CREATED_AT both ways, pages of 2 across its jobs, with and without a status", async () => {
      const all = (await server.app.services.cases.listCases({ first: 500 })).items;
      const missionOf = new Map(jobs.map((j) => [j.id, j.missionId]));
      const inMission = all.filter((c) => missionOf.get(c.jobId) === "m-a");
      expect(new Set(inMission.map((c) => c.jobId)).size).toBeGreaterThan(1);
      for (const status of [undefined, ["IN_PROGRESS" as const]]) {
        const matching = status ? inMission.filter((c) => status.includes(c.status as "IN_PROGRESS")) : inMission;
        for (const direction of ["ASC", "DESC"] as const) {
          const variables: OrderedCasesQueryVariables = {
            missionId: "m-a",
            orderBy: { field: "CREATED_AT", direction },
            ...(status ? { status } : {}),
          };
          const expected = sortedIds(matching, "CREATED_AT", direction);
          const forward: string[] = [];
          let after: string | null = null;
          for (;;) {
            const { cases: page }: OrderedCasesQuery = dataOf(
              await server.request(OrderedCasesDocument, { ...variables, first: 2, after }),
            );
            expect(page.totalCount).toBe(matching.length);
            forward.push(...page.edges.map((e) => e.node.id));
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor ?? null;
          }
          const backward: string[] = [];
          let before: string | null = null;
          for (;;) {
            const { cases: page }: OrderedCasesQuery = dataOf(
              await server.request(OrderedCasesDocument, { ...variables, last: 2, before }),
            );
            backward.unshift(...page.edges.map((e) => e.node.id));
            if (!page.pageInfo.hasPreviousPage) break;
            before = page.pageInfo.startCursor ?? null;
          }
          expect(forward).toEqual(expected);
          expect(backward).toEqual(expected);
        }
      }
    });

    it("a cursor of another order is BAD_USER_INPUT on the argument that carries it; first with last too", async () => {
      const byName = await jobsPage({ orderBy: { field: "NAME", direction: "ASC" }, first: 3 });
      const cursor = byName.pageInfo.endCursor!;
      for (const [orderBy, argument] of [
        [{ field: "NAME", direction: "DESC" }, "after"],
        [{ field: "CREATED_AT", direction: "ASC" }, "after"],
        [{ field: "NAME", direction: "DESC" }, "before"],
      ] as [EntityOrder, "after" | "before"][]) {
        const error = errorOf(await server.request(OrderedJobsDocument, { orderBy, first: 3, [argument]: cursor }));
        expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: argument });
      }
      const both = errorOf(await server.request(OrderedJobsDocument, { first: 3, last: 3 }));
      expect(both.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "last" });
      // The same cursor in its own order goes on from where it was.
      const next = await jobsPage({ orderBy: { field: "NAME", direction: "ASC" }, first: 3, after: cursor });
      expect(next.edges.map((e) => e.node.id)).toEqual(sortedIds(jobs, "NAME", "ASC").slice(3, 6));
    });
  });

  describe("filters", () => {
    it("running, status, search, mission and agent: pages and statusCounts agree with the records", async () => {
      const cases: [OrderedJobsQueryVariables, (j: JobRecord) => boolean][] = [
        [{ running: true }, (j) => RUNNING_STATUSES.includes(j.status)],
        [{ running: false }, (j) => !RUNNING_STATUSES.includes(j.status)],
        [{ running: true, status: ["COMPLETED"] }, () => false],
        [{ running: false, status: ["COMPLETED", "IN_PROGRESS"] }, (j) => j.status === "COMPLETED"],
        [{ search: "N3" }, (j) => j.name.toLowerCase().includes("n3")],
        [{ search: "%" }, () => false],
        [{ withoutMission: true }, (j) => j.missionId === null],
        [{ withoutMission: false }, (j) => j.missionId !== null],
        [{ missionId: "m-b", running: true }, (j) => j.missionId === "m-b" && RUNNING_STATUSES.includes(j.status)],
        [{ agentName: "reader", status: ["FAILED"] }, (j) => j.agentName === "reader" && j.status === "FAILED"],
      ];
      const records = await allJobs();
      for (const [variables, matches] of cases) {
        const expected = records.filter(matches);
        const page = await jobsPage({ ...variables, first: 500, orderBy: { field: "NAME", direction: "DESC" } });
        const what = JSON.stringify(variables);
        expect(
          page.edges.map((e) => e.node.id),
          what,
        ).toEqual(sortedIds(expected, "NAME", "DESC"));
        expect(page.totalCount, what).toBe(expected.length);
        expect(page.statusCounts, what).toEqual(tally(expected.map((j) => j.status)));
      }
    });

    it("time ranges: from inclusive, to exclusive, on createdAt and finishedAt", async () => {
      const records = await allJobs();
      const from = records[5]!.createdAt;
      const to = records[17]!.createdAt;
      const created = await jobsPage({ createdAt: { from: from.toISOString(), to: to.toISOString() }, first: 500 });
      const inRange = records.filter((j) => j.createdAt >= from && j.createdAt < to);
      expect(created.edges.map((e) => e.node.id)).toEqual(sortedIds(inRange, "CREATED_AT", "ASC"));
      expect(created.edges.map((e) => e.node.id)).toContain("job-05");
      expect(created.edges.map((e) => e.node.id)).not.toContain("job-17");

      const finished = records.filter((j) => j.finishedAt !== null);
      const since = finished[2]!.finishedAt!;
      const page = await jobsPage({
        finishedAt: { from: since.toISOString() },
        orderBy: { field: "FINISHED_AT", direction: "DESC" },
        first: 500,
      });
      const expected = finished.filter((j) => j.finishedAt! >= since);
      expect(page.edges.map((e) => e.node.id)).toEqual(sortedIds(expected, "FINISHED_AT", "DESC"));
      const backwards = errorOf(
        await server.request(OrderedJobsDocument, { createdAt: { from: to.toISOString(), to: from.toISOString() } }),
      );
      expect(backwards.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "createdAt" });
    });

    it("a time range on the order's own column, walked both ways in pages of 2: the range's rows, each once", async () => {
      const records = await allJobs();
      for (const field of ["CREATED_AT", "UPDATED_AT", "FINISHED_AT"] as const) {
        const key = KEY[field] as "createdAt" | "updatedAt" | "finishedAt";
        const times = records.flatMap((j) => (j[key] ? [j[key].getTime()] : [])).sort((a, b) => a - b);
        const [from, to] = [new Date(times[2]!), new Date(times[times.length - 3]!)];
        // Both ends, and `from` alone (which alone keeps out the jobs that have not finished).
        for (const bounded of [true, false]) {
          const inRange = records.filter((j) => j[key] !== null && j[key] >= from && (!bounded || j[key] < to));
          expect(inRange.length).toBeGreaterThan(2);
          const range = { from: from.toISOString(), ...(bounded ? { to: to.toISOString() } : {}) };
          for (const direction of ["ASC", "DESC"] as const) {
            const { forward, backward } = await walkBothWays({ orderBy: { field, direction }, [key]: range }, 2);
            const expected = sortedIds(inRange, field, direction);
            expect(forward, `${field} ${direction} ${JSON.stringify(range)}`).toEqual(expected);
            expect(backward, `${field} ${direction} ${JSON.stringify(range)}`).toEqual(expected);
          }
        }
      }
    });

    it("ids: only those, in the list's order so that they page; unknown ids absent; at most 500", async () => {
      const ids = ["job-03", "job-11", "nope", "job-07", "job-19", "job-01"];
      const known = jobs.filter((j) => ids.includes(j.id));
      const order = { field: "NAME", direction: "DESC" } as const;
      const first = await jobsPage({ ids, orderBy: order, first: 3 });
      const rest = await jobsPage({ ids, orderBy: order, first: 3, after: first.pageInfo.endCursor });
      expect([...first.edges, ...rest.edges].map((e) => e.node.id)).toEqual(sortedIds(known, "NAME", "DESC"));
      expect(first.totalCount).toBe(5);
      expect(rest.pageInfo.hasNextPage).toBe(false);

      const tooMany = Array.from({ length: 501 }, (_, i) => `job-${i}`);
      const error = errorOf(await server.request(OrderedJobsDocument, { ids: tooMany }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "ids" });
      const exactly500 = await jobsPage({ ids: tooMany.slice(0, 500) });
      expect(exactly500.totalCount).toBeGreaterThan(0);
    });

    it("missionId with withoutMission: true is BAD_USER_INPUT naming withoutMission", async () => {
      const error = errorOf(await server.request(OrderedJobsDocument, { missionId: "m-a", withoutMission: true }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "withoutMission" });
    });

    it("cases: of a mission (through their jobs), and searched in their descriptions", async () => {
      const inMission = await queryRows<{ id: string }>(
        server.app.db,
        `SELECT c."id" FROM "Case" c JOIN "Job" j ON j."id" = c."jobId" WHERE j."missionId" = ?`,
        ["m-b"],
      );
      const { cases } = dataOf(await server.request(OrderedCasesDocument, { missionId: "m-b", first: 500 }));
      expect(cases.edges.map((e) => e.node.id).sort()).toEqual(inMission.map((r) => r.id).sort());
      expect(cases.totalCount).toBe(inMission.length);
      expect(inMission.length).toBeGreaterThan(0);

      const { cases: found } = dataOf(
        await server.request(OrderedCasesDocument, { search: "weekly report", first: 500 }),
      );
      expect(found.edges.map((e) => e.node.id)).toEqual(
        jobs.flatMap((_, i) => (i % 4 === 1 ? [`case-${pad(i)}-1`] : [])),
      );
    });
  });

  describe("aggregates", () => {
    it("a mission's and a job's totalCost and caseStatusCounts are those of their cases, for every parent in constant statements", async () => {
      const read = async () => {
        const before = server.app.db.statementsExecuted;
        const data = dataOf(await server.request(MissionsWithOrderedJobsDocument, { first: 50 }));
        return { data, statements: server.app.db.statementsExecuted - before };
      };
      const cases = await queryRows<{ jobId: string; missionId: string | null; status: EntityStatus; micros: number }>(
        server.app.db,
        `SELECT c."jobId", j."missionId", c."status", c."totalCostMicros" AS "micros" FROM "Case" c JOIN "Job" j ON j."id" = c."jobId"`,
      );
      const { data, statements } = await read();
      for (const { node: mission } of data.missions.edges) {
        const mine = cases.filter((c) => c.missionId === mission.id);
        expect(mission.totalCost).toBeCloseTo(mine.reduce((sum, c) => sum + Number(c.micros), 0) / 1e6, 6);
        expect(mission.caseStatusCounts).toEqual(tally(mine.map((c) => c.status)));
        for (const { node: job } of mission.jobs.edges) {
          const its = cases.filter((c) => c.jobId === job.id);
          expect(job.totalCost).toBeCloseTo(its.reduce((sum, c) => sum + Number(c.micros), 0) / 1e6, 6);
          expect(job.caseStatusCounts).toEqual(tally(its.map((c) => c.status)));
          const costs = job.cases.edges.map((e) => e.node.totalCost);
          expect(costs).toEqual([...costs].sort((a, b) => b - a));
        }
        expect(mission.jobs.totalCount).toBe(jobs.filter((j) => j.missionId === mission.id).length);
      }
      // More parents, more jobs and cases: the same statements.
      const s = server.app.services;
      for (let m = 0; m < 3; m++) {
        const mission = await s.missions.create({ name: `extra ${m}` });
        const job = await s.jobs.create({ name: `extra job ${m}`, agentName: "a", missionId: mission.id });
        await s.jobs.handleEvent(job.id, "START_WORK");
        await s.cases.start({ jobId: job.id, name: "extra case" });
      }
      const more = await read();
      expect(more.data.missions.edges.length).toBe(data.missions.edges.length + 3);
      expect(more.statements).toBe(statements);
    });

    it("totalCost and caseStatusCounts asked together read the cases once per level: as many statements as either alone", async () => {
      const statementsOf = async (cost: boolean, counts: boolean) => {
        const before = server.app.db.statementsExecuted;
        const data = dataOf(await server.request(MissionsCaseTotalsDocument, { first: 50, cost, counts }));
        return { data, statements: server.app.db.statementsExecuted - before };
      };
      const both = await statementsOf(true, true);
      const costOnly = await statementsOf(true, false);
      const countsOnly = await statementsOf(false, true);
      const neither = await statementsOf(false, false);
      expect(costOnly.statements).toBe(both.statements);
      expect(countsOnly.statements).toBe(both.statements);
      // One statement for the missions' totals and one for their jobs' totals.
      expect(both.statements - neither.statements).toBe(2);
      // Each alone answers as it does together.
      const missions = both.data.missions.edges.map((e) => e.node);
      expect(missions.length).toBeGreaterThan(1);
      expect(costOnly.data.missions.edges.map((e) => e.node.totalCost)).toEqual(missions.map((m) => m.totalCost));
      expect(countsOnly.data.missions.edges.map((e) => e.node.caseStatusCounts)).toEqual(
        missions.map((m) => m.caseStatusCounts),
      );
      expect(costOnly.data.missions.edges.flatMap((e) => e.node.jobs.edges.map((j) => j.node.totalCost))).toEqual(
        missions.flatMap((m) => m.jobs.edges.map((j) => j.node.totalCost)),
      );
    });

    it("nested lists order, page backward and count by status per parent", async () => {
      const { missions } = dataOf(
        await server.request(MissionsWithOrderedJobsDocument, {
          orderBy: { field: "NAME", direction: "DESC" },
          last: 2,
          running: false,
        }),
      );
      const records = (await allJobs()) as ((typeof jobs)[number] & {
        status: EntityStatus;
        missionId: string | null;
      })[];
      for (const { node: mission } of missions.edges) {
        const mine = records.filter((j) => j.missionId === mission.id && !RUNNING_STATUSES.includes(j.status));
        const expected = sortedIds(mine, "NAME", "DESC");
        expect(mission.jobs.edges.map((e) => e.node.id)).toEqual(expected.slice(-2));
        expect(mission.jobs.pageInfo.hasPreviousPage).toBe(expected.length > 2);
        expect(mission.jobs.statusCounts).toEqual(tally(mine.map((j) => j.status)));
        expect(mission.jobs.totalCount).toBe(mine.length);
      }
    });
  });

  describe("transitions", () => {
    it("newest first, and paged both ways in either order", async () => {
      const newest = dataOf(
        await server.request(JobTransitionsDocument, { id: "job-02", orderBy: { direction: "DESC" } }),
      );
      expect(newest.job!.transitions.edges.map((e) => e.node.toStatus)).toEqual(["COMPLETED", "IN_PROGRESS"]);
      const lastOne = dataOf(await server.request(JobTransitionsDocument, { id: "job-02", last: 1 }));
      expect(lastOne.job!.transitions.edges.map((e) => e.node.toStatus)).toEqual(["COMPLETED"]);
      expect(lastOne.job!.transitions.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
      const before = dataOf(
        await server.request(JobTransitionsDocument, {
          id: "job-02",
          last: 5,
          before: lastOne.job!.transitions.pageInfo.startCursor,
        }),
      );
      expect(before.job!.transitions.edges.map((e) => e.node.toStatus)).toEqual(["IN_PROGRESS"]);
      const foreign = errorOf(
        await server.request(JobTransitionsDocument, {
          id: "job-02",
          orderBy: { direction: "DESC" },
          after: lastOne.job!.transitions.pageInfo.endCursor,
        }),
      );
      expect(foreign.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    });
  });

  it("a walk newest first stays exact while statuses change under it: every job once", async () => {
    const s = server.app.services;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const result: OrderedJobsQuery["jobs"] = await jobsPage({
        orderBy: { field: "CREATED_AT", direction: "DESC" },
        first: 4,
        after,
      });
      seen.push(...result.edges.map((e) => e.node.id));
      // Jobs already seen and jobs still ahead change status between pages.
      for (const id of [`job-${pad(page * 4)}`, `job-${pad(23 - page * 4)}`]) {
        const job = await s.jobs.get(id);
        if (job?.status === "STOPPED") await s.jobs.handleEvent(id, "START_WORK");
        else if (job?.status === "IN_PROGRESS") await s.jobs.handleEvent(id, "CANCEL_REQUESTED");
      }
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    const all = await queryRows<{ id: string }>(server.app.db, `SELECT "id" FROM "Job"`);
    expect(seen.sort()).toEqual(all.map((r) => r.id).sort());
    jobs = await allJobs();
  });

  describe("the dashboard's five queries", () => {
    it("1. running jobs newest first", async () => {
      const records = (await server.app.services.jobs.listJobs({ first: 500 })).items;
      const running = records.filter((j) => RUNNING_STATUSES.includes(j.status));
      const { jobs: page } = dataOf(await server.request(RunningJobsNewestFirstDocument, { first: 5 }));
      expect(page.edges.map((e) => e.node.id)).toEqual(sortedIds(running, "CREATED_AT", "DESC").slice(0, 5));
      expect(page.totalCount).toBe(running.length);
      expect(page.statusCounts).toEqual(tally(running.map((j) => j.status)));
    });

    it("2. a mission's cost and counts by status", async () => {
      const { mission } = dataOf(await server.request(MissionCostAndCountsDocument, { id: "m-a" }));
      const [sum] = await queryRows<{ micros: number }>(
        server.app.db,
        `SELECT SUM(c."totalCostMicros") AS "micros" FROM "Case" c JOIN "Job" j ON j."id" = c."jobId" WHERE j."missionId" = ?`,
        ["m-a"],
      );
      expect(mission!.totalCost).toBeCloseTo(Number(sum!.micros) / 1e6, 6);
      expect(mission!.totalCost).toBeGreaterThan(0);
      expect(mission!.caseStatusCounts.map((c) => c.status)).toEqual(["IN_PROGRESS", "FAILED"]);
      expect(mission!.jobs.totalCount).toBe(8);
    });

    it("3. the cases of a job that failed in a week, latest first", async () => {
      const now = new Date();
      const weekAgo = new Date(now.getTime() - 7 * 24 * 3600 * 1000);
      const { cases } = dataOf(
        await server.request(FailedCasesOfJobDocument, {
          jobId: "job-05",
          from: weekAgo.toISOString(),
          to: new Date(now.getTime() + 60_000).toISOString(),
        }),
      );
      expect(cases.edges.map((e) => e.node.id)).toEqual(["case-05-2"]);
      expect(cases.edges[0]!.node.error).toBe("tool failed");
      const { cases: none } = dataOf(
        await server.request(FailedCasesOfJobDocument, {
          jobId: "job-05",
          from: new Date(weekAgo.getTime() - 7 * 24 * 3600 * 1000).toISOString(),
          to: weekAgo.toISOString(),
        }),
      );
      expect(none.totalCount).toBe(0);
    });

    it("4. search by name, ignoring case", async () => {
      const { cases } = dataOf(await server.request(SearchCasesDocument, { text: "CASE 1" }));
      const names = cases.edges.map((e) => e.node.name);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((n) => n.startsWith("case 1"))).toBe(true);
      expect(names).toEqual([...names].sort());
      expect(cases.totalCount).toBe(names.length);
    });

    it("5. the latest transition of each of 50 jobs in one request", async () => {
      const s = server.app.services;
      const ids: string[] = [];
      for (let i = 0; i < 26; i++) {
        const job = await s.jobs.create({ name: `batch ${i}`, agentName: "a" });
        await s.jobs.handleEvent(job.id, "START_WORK");
        if (i % 2) await s.jobs.handleEvent(job.id, "AWAITING_ON_INPUT", { actor: "agent" });
        ids.push(job.id);
      }
      ids.push(...Array.from({ length: 24 }, (_, i) => `job-${pad(i)}`));
      const before = server.app.db.statementsExecuted;
      const { jobs: page } = dataOf(await server.request(LatestTransitionsDocument, { ids }));
      const statements = server.app.db.statementsExecuted - before;
      expect(page.edges).toHaveLength(50);
      for (const { node } of page.edges) {
        const latest = node.transitions.edges.map((e) => e.node.toStatus);
        expect(latest, node.id).toEqual(node.status === "STOPPED" ? [] : [node.status]);
      }
      // One statement for the jobs, one for all their transitions.
      expect(statements).toBeLessThanOrEqual(2);
    });
  });
});
