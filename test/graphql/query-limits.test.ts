// Query limits: the UI's real nested queries pass the default limits; a query over any limit is
// refused with HTTP 400 and extensions.code QUERY_TOO_COMPLEX naming the limit; the limits come
// from the configuration; production never suggests field names.
import fs from "node:fs";
import path from "node:path";
import { buildSchema, getOperationAST, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { operationCost } from "../../src/server/query-limits.js";
import { UNPAGINATED_LIST_CAP } from "../../src/services/validation.js";
import { startTestServer, type TestServer } from "../support/http.js";

// The tree a UI's front page asks for, exactly as it sends it.
const UI_QUERY = `{ missions(first: 20) { edges { node { jobs(first: 10) { totalCount edges { node { cases(first: 10) { edges { node { id status job { id } } } } } } } } } } }`;

// The same with what a UI shows next to each node: recent history and the buttons it may offer.
const UI_QUERY_WITH_HISTORY = `
  query Dashboard($missions: Int = 20, $jobs: Int = 10, $cases: Int = 10, $history: Int = 5) {
    missions(first: $missions) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        id name status version isRunning validEvents
        transitions(first: $history) { totalCount edges { node { event fromStatus toStatus at actor } } }
        jobs(first: $jobs) {
          totalCount
          edges { node {
            id name agentName status version validEvents
            transitions(first: $history) { edges { node { event toStatus at } } }
            cases(first: $cases) {
              totalCount
              edges { node {
                id name status version totalCount: totalCost isTerminal validEvents
                job { id }
                steps(first: $history) { totalCount edges { node { index name cost isFinal } } }
                transitions(first: $history) { totalCount edges { node { event fromStatus toStatus at reason } } }
              } }
            }
          } }
        }
      } }
    }
  }`;

type Result = {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
};

async function post(server: TestServer, query: string, variables: Record<string, unknown> = {}): Promise<Result> {
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Result["body"] };
}

function expectTooComplex(result: Result, limit: string, max: number) {
  expect(result.status).toBe(400);
  const error = result.body.errors?.find((e) => e.extensions?.code === "QUERY_TOO_COMPLEX");
  expect(error, JSON.stringify(result.body)).toBeDefined();
  expect(error!.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit, max });
  expect(result.body.data).toBeUndefined();
}

function aliases(n: number): string {
  return `{ ${Array.from({ length: n }, (_, i) => `a${i}: lifecycle { mermaid }`).join(" ")} }`;
}

/** A query exactly `levels` deep (leaves count), going round job → mission → jobs → job. */
function depth(levels: number): string {
  const bases = [
    "id",
    "mission { id }",
    "mission { jobs(first: 1) { totalCount } }",
    "mission { jobs(first: 1) { edges { cursor } } }",
  ];
  const inside = levels - 1; // job(id) is the first level
  let inner = bases[(inside - 1) % 4]!;
  for (let d = ((inside - 1) % 4) + 1; d < inside; d += 4)
    inner = `mission { jobs(first: 1) { edges { node { ${inner} } } } }`;
  return `{ job(id: "job-0") { ${inner} } }`;
}

describe("query limits at their defaults (production)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ APP_ENV: "production", LOG_LEVEL: "silent" });
    const { services } = server.app;
    for (let m = 0; m < 3; m++) {
      await services.missions.create({ id: `mission-${m}`, name: `mission ${m}` });
      for (let j = 0; j < 3; j++) {
        const job = `job-${m * 3 + j}`;
        await services.jobs.create({ id: job, name: job, agentName: "agent", missionId: `mission-${m}` });
        for (let c = 0; c < 2; c++) await services.cases.start({ id: `${job}-case-${c}`, jobId: job, name: "case" });
      }
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("lets the UI's nested query through", async () => {
    const result = await post(server, UI_QUERY);
    expect(result.body.errors).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body.data.missions.edges).toHaveLength(3);
    expect(result.body.data.missions.edges[0].node.jobs.edges[0].node.cases.edges).toHaveLength(2);
  });

  it("lets the realistic version with history, valid events and steps through", async () => {
    const result = await post(server, UI_QUERY_WITH_HISTORY);
    expect(result.body.errors).toBeUndefined();
    const kase = result.body.data.missions.edges[0].node.jobs.edges[0].node.cases.edges[0].node;
    expect(kase.validEvents.length).toBeGreaterThan(0);
    expect(kase.transitions.edges[0].node).toMatchObject({ event: "START_WORK", toStatus: "IN_PROGRESS" });
  });

  const overLimits: [name: string, query: string, limit: string, max: number][] = [
    ["depth", depth(16), "maxDepth", 15],
    ["aliases", aliases(31), "maxAliases", 30],
    ["directives", `{ lifecycle { mermaid ${"@include(if: true) ".repeat(31)} } }`, "maxDirectives", 30],
    ["tokens", `{ lifecycle { ${"mermaid ".repeat(2000)} } }`, "maxTokens", 2000],
    [
      "cost, literal page sizes",
      `{ missions(first: 500) { edges { node { jobs(first: 101) { totalCount edges { cursor } } } } } }`,
      "maxCost",
      50_000,
    ],
  ];
  it.each(overLimits)("refuses a query over the %s limit", async (_name, query, limit, max) => {
    expectTooComplex(await post(server, query), limit, max);
  });

  it("accepts a query right at each limit", async () => {
    for (const query of [depth(15), aliases(30), `{ lifecycle { ${"mermaid @skip(if: false) ".repeat(30)} } }`]) {
      const result = await post(server, query);
      expect(result.body.errors, query.slice(0, 80)).toBeUndefined();
    }
    // 500 missions, each with up to 100 jobs: exactly 50 500 items is over, 50 000 is not.
    expect(
      (await post(server, `{ missions(first: 500) { edges { node { jobs(first: 99) { edges { cursor } } } } } }`)).body
        .errors,
    ).toBeUndefined();
  });

  it("counts page sizes given in variables, and 50 for a page size left out", async () => {
    const byVariable = `query($n: Int) { missions(first: $n) { edges { node { jobs(first: $n) { edges { cursor } } } } } }`;
    expect((await post(server, byVariable, { n: 200 })).body.errors).toBeUndefined();
    const refused = await post(server, byVariable, { n: 250 });
    expectTooComplex(refused, "maxCost", 50_000);
    expect(refused.body.errors![0]!.extensions!.found).toBe(250 + 250 * 250);

    const defaults = `{ missions { edges { node { jobs { edges { node { cases { edges { cursor } } } } } } } } }`;
    // Twice: a cost that depends on no variable is kept per document, and must keep refusing.
    for (let i = 0; i < 2; i++) {
      const result = await post(server, defaults);
      expectTooComplex(result, "maxCost", 50_000);
      expect(result.body.errors![0]!.extensions!.found).toBe(50 + 50 * 50 + 50 * 50 * 50);
    }
    // And a variable page size is read again on every request of the same document.
    expect((await post(server, byVariable, { n: 200 })).body.errors).toBeUndefined();
  });

  it("still answers a page size over 500 with BAD_USER_INPUT, not a cost error", async () => {
    const result = await post(server, `query($n: Int) { missions(first: $n) { totalCount } }`, { n: 501 });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });

  it("suggests no field, argument, enum value or input field names in production", async () => {
    const queries: [string, Record<string, unknown>?][] = [
      [`{ missionz { totalCount } }`],
      [`{ missions(frist: 1) { totalCount } }`],
      [`{ jobs(status: [IN_PROGRES]) { totalCount } }`],
      [`mutation($i: CreateMissionInput!) { createMission(input: $i) { id } }`, { i: { nam: "x" } }],
      [`mutation($e: EntityEvent!) { handleJobEvent(id: "job-0", event: $e) { id } }`, { e: "START_WRK" }],
    ];
    for (const [query, variables] of queries) {
      const result = await post(server, query, variables);
      expect(result.status).toBe(400);
      for (const error of result.body.errors ?? []) expect(error.message).not.toMatch(/Did you mean|suggest/i);
    }
  });

  it("refuses an operation type the schema does not have, as a validation error", async () => {
    const result = await post(server, `subscription { lifecycle { mermaid } }`);
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

describe("query limits from the configuration", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      GRAPHQL_MAX_DEPTH: "6",
      GRAPHQL_MAX_ALIASES: "2",
      GRAPHQL_MAX_TOKENS: "100",
      GRAPHQL_MAX_COST: "100",
      GRAPHQL_MAX_DIRECTIVES: "1",
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("applies each configured limit", async () => {
    expectTooComplex(await post(server, UI_QUERY), "maxDepth", 6);
    expectTooComplex(await post(server, aliases(3)), "maxAliases", 2);
    expectTooComplex(await post(server, `{ lifecycle { ${"mermaid ".repeat(100)} } }`), "maxTokens", 100);
    expectTooComplex(await post(server, `{ missions(first: 101) { edges { cursor } } }`), "maxCost", 100);
    expectTooComplex(
      await post(server, `{ lifecycle { mermaid @include(if: true) @skip(if: false) } }`),
      "maxDirectives",
      1,
    );
    expect((await post(server, `{ missions(first: 100) { edges { cursor } } }`)).body.errors).toBeUndefined();
    // Counting is free: a count of as many items as a page may hold costs 1.
    expect((await post(server, `{ missions(first: 500) { totalCount } }`)).body.errors).toBeUndefined();
  });

  it("keeps field suggestions where introspection is on (development and tests)", async () => {
    const result = await post(server, `{ missionz { totalCount } }`);
    expect(result.body.errors?.[0]?.message).toMatch(/Did you mean .*"missions"/);
  });
});

describe("operationCost", () => {
  const schema = buildSchema(fs.readFileSync(path.join(PACKAGE_ROOT, "schema.graphql"), "utf8"));
  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    return operationCost(schema, document, getOperationAST(document)!, variables);
  };

  it("counts the items every list can return", () => {
    expect(cost(UI_QUERY)).toBe(20 + 20 * 10 + 20 * 10 * 10);
    // missions, jobs and cases, the history of each of them (5 entries), and 5 steps of each case.
    expect(cost(UI_QUERY_WITH_HISTORY)).toBe(20 + 200 + 2000 + (20 + 200 + 2000) * 5 + 2000 * 5);
  });

  it("follows fragments and inline fragments", () => {
    const query = `query { missions(first: 4) { edges { node { ...M } } } }
      fragment M on Mission { jobs(first: 3) { edges { node { ... on Job { cases(first: 2) { ...C } } } } } }
      fragment C on CaseConnection { edges { cursor } }`;
    expect(cost(query)).toBe(4 + 12 + 24);
  });

  it("takes variables, their defaults, and 50 when nothing says otherwise", () => {
    const query = `query($a: Int, $b: Int = 7) { missions(first: $a) { edges { node { jobs(first: $b) { edges { cursor } } } } } }`;
    expect(cost(query, { a: 3 })).toBe(3 + 21);
    expect(cost(query)).toBe(50 + 350);
    expect(cost(query, { a: 3, b: 9999 })).toBe(3 + 1500);
  });

  it("counts a connection asked only for totalCount or pageInfo as 1, whatever its first", () => {
    const counts = `{ missions(first: 500) { edges { node { jobs { totalCount } transitions { totalCount } } } } }`;
    expect(cost(counts)).toBe(500 + 500 + 500);
    const pageInfo = `query($n: Int) { jobs(first: $n) { totalCount pageInfo { hasNextPage endCursor } } }`;
    expect(cost(pageInfo, { n: 500 })).toBe(1);
    // Edges asked for through a fragment count as edges.
    const viaFragment = `{ jobs(first: 40) { totalCount ...E } } fragment E on JobConnection { edges { cursor } }`;
    expect(cost(viaFragment)).toBe(40);
  });

  it("counts last like first, and a list asked for by ids as many items as it names", () => {
    expect(cost(`{ missions(last: 500) { edges { node { jobs(last: 500) { edges { cursor } } } } } }`)).toBe(
      500 + 500 * 500,
    );
    expect(cost(`query($n: Int) { jobs(last: $n) { edges { cursor } } }`, { n: 30 })).toBe(30);
    const byIds = `query($ids: [ID!]) { jobs(ids: $ids) { edges { node { transitions(first: 1) { edges { cursor } } } } } }`;
    const ids = Array.from({ length: 50 }, (_, i) => `job-${i}`);
    expect(cost(byIds, { ids })).toBe(50 + 50);
    expect(cost(`{ jobs(ids: ["a", "b", "c"], first: 500) { edges { cursor } } }`)).toBe(3);
  });

  it(`counts the lists without pages at their cap of ${UNPAGINATED_LIST_CAP}`, () => {
    expect(cost(`{ job(id: "j") { caseIds } }`)).toBe(UNPAGINATED_LIST_CAP);
    expect(cost(`{ jobs(first: 10) { edges { node { caseIds } } } }`)).toBe(10 + 10 * UNPAGINATED_LIST_CAP);
    expect(cost(`{ cases(first: 2) { edges { node { updates { index } } } } }`)).toBe(2 + 2 * UNPAGINATED_LIST_CAP);
    expect(cost(`{ case(id: "c") { steps(first: 20) { edges { node { index } } } } }`)).toBe(20);
  });
});
