// Cursor pagination over HTTP: walking a list visits every item once in list order, filters
// apply to pages and counts alike, and page sizes beyond the cap or foreign cursors are refused.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CasesDocument,
  JobCasesDocument,
  type JobCasesQuery,
  JobsDocument,
  type JobsQuery,
  type JobsQueryVariables,
  JobsWithCasesDocument,
} from "../generated/graphql.js";
import { dataOf, errorOf, startTestServer, type TestServer } from "../support/http.js";
import { queryRows } from "../support/rows.js";

const JOBS = 137;

describe("pagination over HTTP", () => {
  let server: TestServer;
  let busyJob: string;
  let smallJob: string;

  /** Ids in the contract's list order (createdAt, then id), straight from the table. */
  async function idsInOrder(table: "Job" | "Case", where = "1 = 1", params: string[] = []): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      server.app.db,
      `SELECT "id" FROM "${table}" WHERE ${where} ORDER BY "createdAt", "id"`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /** Follows endCursor until hasNextPage is false; returns the ids seen, page by page. */
  async function walkJobs(variables: Omit<JobsQueryVariables, "after">) {
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const { jobs }: JobsQuery = dataOf(await server.request(JobsDocument, { ...variables, after }));
      pages.push(jobs.edges.map((e) => e.node.id));
      expect(jobs.pageInfo.endCursor).toBe(jobs.edges.at(-1)?.cursor ?? null);
      if (!jobs.pageInfo.hasNextPage) return { pages, totalCount: jobs.totalCount };
      after = jobs.pageInfo.endCursor;
      expect(pages.length).toBeLessThan(1000);
    }
  }

  beforeAll(async () => {
    server = await startTestServer({ SQLITE_SYNCHRONOUS: "NORMAL" });
    const { services } = server.app;
    await services.missions.create({ id: "mission-a", name: "a" });
    await services.missions.create({ id: "mission-b", name: "b" });
    for (let i = 0; i < JOBS; i++) {
      const missionId = i % 3 === 0 ? "mission-a" : i % 3 === 1 ? "mission-b" : null;
      const job = await services.jobs.create({
        name: `job ${i}`,
        agentName: i % 2 === 0 ? "writer" : "reviewer",
        missionId,
      });
      if (i % 4 === 0) await services.jobs.handleEvent(job.id, "START_WORK");
    }
    [busyJob, smallJob] = (await idsInOrder("Job")) as [string, string];
    for (let i = 0; i < 23; i++) {
      const c = await services.cases.start({ jobId: busyJob, name: `case ${i}` });
      if (i % 3 === 0) await services.cases.handleEvent(c.id, "SUCCESSFULLY_DONE");
    }
    for (let i = 0; i < 5; i++) await services.cases.start({ jobId: smallJob, name: `small ${i}` });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it(`walks all ${JOBS} jobs in pages of 20, each exactly once, in list order`, async () => {
    const { pages, totalCount } = await walkJobs({ first: 20 });
    expect(totalCount).toBe(JOBS);
    expect(pages.map((p) => p.length)).toEqual([20, 20, 20, 20, 20, 20, 17]);
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(JOBS);
    expect(seen).toEqual(await idsInOrder("Job"));
  });

  it("gives an empty last page after the end", async () => {
    const all = await idsInOrder("Job");
    const { jobs: last } = dataOf(await server.request(JobsDocument, { first: 500 }));
    expect(last.edges).toHaveLength(JOBS);
    const { jobs } = dataOf(await server.request(JobsDocument, { first: 20, after: last.pageInfo.endCursor }));
    expect(jobs).toMatchObject({ edges: [], totalCount: JOBS, pageInfo: { hasNextPage: false, endCursor: null } });
    expect(last.edges.map((e) => e.node.id)).toEqual(all);
  });

  it.each<[string, Omit<JobsQueryVariables, "after" | "first">, string, string[]]>([
    ["status", { status: ["IN_PROGRESS"] }, `"status" = ?`, ["IN_PROGRESS"]],
    ["missionId", { missionId: "mission-b" }, `"missionId" = ?`, ["mission-b"]],
    ["agentName", { agentName: "reviewer" }, `"agentName" = ?`, ["reviewer"]],
    [
      "all three",
      { status: ["STOPPED"], missionId: "mission-a", agentName: "writer" },
      `"status" = ? AND "missionId" = ? AND "agentName" = ?`,
      ["STOPPED", "mission-a", "writer"],
    ],
  ])("filters by %s, in pages and in totalCount", async (_name, filter, where, params) => {
    const expected = await idsInOrder("Job", where, params);
    expect(expected.length).toBeGreaterThan(7);
    const { pages, totalCount } = await walkJobs({ ...filter, first: 7 });
    expect(totalCount).toBe(expected.length);
    expect(pages.flat()).toEqual(expected);
  });

  it("refuses first: 501 instead of cutting the page", async () => {
    const response = await server.request(JobsDocument, { first: 501 });
    expect(response.data).toBeNull();
    expect(errorOf(response).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });

  it.each([
    ["not base64 JSON", "%%%not-a-cursor"],
    ["a JSON tuple of the wrong shape", Buffer.from(JSON.stringify([1, 2, 3])).toString("base64url")],
    ["a plain id", "job-1"],
  ])("refuses a cursor that is %s", async (_name, after) => {
    const response = await server.request(JobsDocument, { first: 5, after });
    expect(errorOf(response).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });

  it("pages one job's cases with cases(first, after)", async () => {
    const expected = await idsInOrder("Case", `"jobId" = ?`, [busyJob]);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const { job }: JobCasesQuery = dataOf(await server.request(JobCasesDocument, { id: busyJob, first: 10, after }));
      expect(job!.cases.totalCount).toBe(23);
      seen.push(...job!.cases.edges.map((e) => e.node.id));
      if (!job!.cases.pageInfo.hasNextPage) break;
      after = job!.cases.pageInfo.endCursor;
      expect(page).toBeLessThan(10);
    }
    expect(seen).toEqual(expected);
    // Past the last case: no edges, and still the job's count (read with the empty page).
    const { job: whole }: JobCasesQuery = dataOf(await server.request(JobCasesDocument, { id: busyJob, first: 23 }));
    const end = whole!.cases.pageInfo.endCursor;
    const { job: past }: JobCasesQuery = dataOf(
      await server.request(JobCasesDocument, { id: busyJob, first: 10, after: end }),
    );
    expect(past!.cases).toMatchObject({ totalCount: 23, edges: [], pageInfo: { hasNextPage: false } });
  });

  it("filters a job's cases by status", async () => {
    const { job } = dataOf(await server.request(JobCasesDocument, { id: busyJob, first: 50, status: ["COMPLETED"] }));
    expect(job!.cases.totalCount).toBe(8);
    expect(job!.cases.edges.map((e) => e.node.id)).toEqual(
      await idsInOrder("Case", `"jobId" = ? AND "status" = 'COMPLETED'`, [busyJob]),
    );
  });

  it("gives every job its own first page of cases in one list", async () => {
    const { jobs } = dataOf(await server.request(JobsWithCasesDocument, { first: 3, casesFirst: 4 }));
    const [busy, small, empty] = jobs.edges.map((e) => e.node) as [
      (typeof jobs.edges)[0]["node"],
      (typeof jobs.edges)[0]["node"],
      (typeof jobs.edges)[0]["node"],
    ];
    expect(busy.id).toBe(busyJob);
    expect(busy.cases).toMatchObject({ totalCount: 23, pageInfo: { hasNextPage: true } });
    expect(busy.cases.edges.map((e) => e.node.id)).toEqual(
      (await idsInOrder("Case", `"jobId" = ?`, [busyJob])).slice(0, 4),
    );
    expect(small.id).toBe(smallJob);
    expect(small.cases).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    expect(small.cases.edges.map((e) => e.node.id)).toEqual(
      (await idsInOrder("Case", `"jobId" = ?`, [smallJob])).slice(0, 4),
    );
    expect(empty.cases).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
  });

  it("pages the top-level cases list filtered by jobId", async () => {
    const first = dataOf(await server.request(CasesDocument, { jobId: smallJob, first: 3 })).cases;
    const rest = dataOf(
      await server.request(CasesDocument, { jobId: smallJob, first: 3, after: first.pageInfo.endCursor }),
    ).cases;
    expect(first.totalCount).toBe(5);
    expect([...first.edges, ...rest.edges].map((e) => e.node.id)).toEqual(
      await idsInOrder("Case", `"jobId" = ?`, [smallJob]),
    );
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(rest.edges.every((e) => e.node.jobId === smallJob)).toBe(true);
  });

  it("refuses first: 501 on a nested list too", async () => {
    const response = await server.request(JobCasesDocument, { id: busyJob, first: 501 });
    expect(errorOf(response).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });
});
