// A job's case ids and a case's steps come in pages with a count (Job.cases, Case.steps); the old
// unpaged fields (Job.caseIds, Case.updates) keep answering, with their first 500 items. Cursors
// resume where they stopped and belong to their own list only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNPAGINATED_LIST_CAP } from "../../src/services/validation.js";
import { dataOf, errorOf, startTestServer, type TestServer } from "../support/http.js";
import { snapshotRows } from "../support/rows.js";

const COUNT = UNPAGINATED_LIST_CAP + 1;

interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: N }[];
}

describe("lists past the cap of the unpaged fields", () => {
  let server: TestServer;
  const caseIds: string[] = [];

  beforeAll(async () => {
    // No deadline sweep: its statements would be counted with the requests'.
    server = await startTestServer({ SQLITE_SYNCHRONOUS: "NORMAL", DEADLINE_SWEEP_INTERVAL_MS: "3600000" });
    const { services } = server.app;
    await services.jobs.create({ id: "big-job", name: "job", agentName: "a" });
    await services.jobs.handleEvent("big-job", "START_WORK");
    for (let i = 0; i < COUNT; i++) caseIds.push((await services.cases.start({ jobId: "big-job", name: `c${i}` })).id);
    for (let i = 0; i < COUNT; i++) await services.cases.addUpdate(caseIds[0]!, { name: `step ${i}`, cost: 0.5 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("caseIds answers the first 500 ids in list order; cases pages through all of them and counts them", async () => {
    const inOrder = (await server.app.services.cases.listCases({ jobId: "big-job", first: 500 })).items.map(
      (c) => c.id,
    );
    const { job } = dataOf(
      await server.request<{ job: { caseIds: string[]; cases: Connection<{ id: string }> } }>(
        `{ job(id: "big-job") { caseIds cases(first: 500) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } }`,
      ),
    );
    expect(job.caseIds).toEqual(inOrder);
    expect(job.caseIds).toHaveLength(UNPAGINATED_LIST_CAP);
    expect(job.cases.totalCount).toBe(COUNT);
    expect(job.cases.edges.map((e) => e.node.id)).toEqual(inOrder);
    expect(job.cases.pageInfo.hasNextPage).toBe(true);

    const rest = dataOf(
      await server.request<{ job: { cases: Connection<{ id: string }> } }>(
        `query ($after: String) { job(id: "big-job") { cases(first: 500, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } }`,
        { after: job.cases.pageInfo.endCursor },
      ),
    ).job.cases;
    expect(new Set([...job.cases.edges, ...rest.edges].map((e) => e.node.id))).toEqual(new Set(caseIds));
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it("updates answers the first 500 steps; steps pages through all of them with a count", async () => {
    const query = `query ($id: ID!, $after: String) { case(id: $id) { updates { index } steps(first: 200, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { index name cost } } } } }`;
    type Read = {
      case: { updates: { index: number }[]; steps: Connection<{ index: number; name: string; cost: number }> };
    };
    const first = dataOf(await server.request<Read>(query, { id: caseIds[0] })).case;
    expect(first.updates.map((u) => u.index)).toEqual([...Array(UNPAGINATED_LIST_CAP).keys()]);

    const seen: number[] = [];
    let page = first.steps;
    const sizes: number[] = [];
    for (;;) {
      expect(page.totalCount).toBe(COUNT);
      sizes.push(page.edges.length);
      seen.push(...page.edges.map((e) => e.node.index));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      if (!page.pageInfo.hasNextPage) break;
      page = dataOf(await server.request<Read>(query, { id: caseIds[0], after: page.pageInfo.endCursor })).case.steps;
    }
    expect(sizes).toEqual([200, 200, 101]);
    expect(seen).toEqual([...Array(COUNT).keys()]);
    expect(first.steps.edges[3]!.node).toEqual({ index: 3, name: "step 3", cost: 0.5 });
  });

  it("a count alone costs 1: the count of every case's steps on a page of 500 cases passes the cost limit", async () => {
    const { job } = dataOf(
      await server.request<{ job: { cases: Connection<{ steps: { totalCount: number } }> } }>(
        `{ job(id: "big-job") { cases(first: 500) { edges { node { steps(first: 500) { totalCount } } } } } }`,
      ),
    );
    expect(job.cases.edges.map((e) => e.node.steps.totalCount).reduce((a, b) => a + b)).toBe(COUNT);
  });

  it("a count alone reads no page: one statement for every case's count, and its arguments are still checked", async () => {
    const before = server.app.db.statementsExecuted;
    dataOf(await server.request(`{ job(id: "big-job") { cases(first: 500) { edges { node { id } } } } }`));
    const withoutSteps = server.app.db.statementsExecuted - before;
    const counted = server.app.db.statementsExecuted;
    dataOf(
      await server.request(
        `{ job(id: "big-job") { cases(first: 500) { edges { node { id steps(first: 500) { totalCount } transitions { totalCount } } } } } }`,
      ),
    );
    // Two counts more (steps, transitions), batched over the 500 cases: no page of either is read.
    expect(server.app.db.statementsExecuted - counted).toBe(withoutSteps + 2);

    const tooLarge = errorOf(
      await server.request(`{ case(id: "${caseIds[0]}") { steps(first: 501) { totalCount } } }`),
    );
    expect(tooLarge.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });

  it("the cost limit counts the unpaged lists: caseIds of 101 jobs is refused", async () => {
    const error = errorOf(await server.request(`{ jobs(first: 101) { edges { node { caseIds } } } }`));
    expect(error.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "maxCost", found: 101 + 101 * 500 });
  });

  it("a cursor of one list given to another is BAD_USER_INPUT on after, and changes nothing", async () => {
    const before = await snapshotRows(server.app.db);
    const { cases } = dataOf(
      await server.request<{ cases: Connection<{ id: string }> }>(
        `{ cases(first: 1) { pageInfo { hasNextPage endCursor } edges { cursor node { id } } totalCount } }`,
      ),
    );
    const { case: kase } = dataOf(
      await server.request<{ case: { steps: Connection<{ index: number }> } }>(
        `query ($id: ID!) { case(id: $id) { steps(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { index } } } } }`,
        { id: caseIds[0] },
      ),
    );
    const refusals = [
      [`query ($after: String) { jobs(after: $after) { totalCount } }`, cases.pageInfo.endCursor],
      [
        `query ($after: String) { job(id: "big-job") { transitions(after: $after) { totalCount } } }`,
        cases.pageInfo.endCursor,
      ],
      [`query ($after: String) { jobs(first: 1, after: $after) { edges { cursor } } }`, kase.steps.pageInfo.endCursor],
      [
        `query ($after: String, $id: ID!) { case(id: $id) { steps(after: $after) { totalCount } } }`,
        cases.pageInfo.endCursor,
      ],
    ] as const;
    for (const [query, after] of refusals) {
      const error = errorOf(await server.request(query, { after, id: caseIds[0] }));
      expect(error.extensions, query).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
      expect(error.message).toMatch(/is a cursor of another list/);
    }
    expect(await snapshotRows(server.app.db)).toEqual(before);
  });

  it("status: [] is BAD_USER_INPUT on status", async () => {
    for (const query of [
      `{ jobs(status: []) { totalCount } }`,
      `{ job(id: "big-job") { cases(status: []) { totalCount } } }`,
    ]) {
      const error = errorOf(await server.request(query));
      expect(error.extensions, query).toMatchObject({ code: "BAD_USER_INPUT", field: "status" });
    }
  });
});
