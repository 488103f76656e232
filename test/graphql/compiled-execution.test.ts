// Requests run compiled (src/graphql/compiled-executor.ts), not on graphql-js's interpreter. The
// two must be indistinguishable: for every document here, data, errors, paths, locations and null
// propagation are the same, on the same database, field for field.
import { execute, type GraphQLError, type GraphQLSchema, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compiledOperations } from "../../src/graphql/compiled-executor.js";
import { createContext } from "../../src/graphql/context.js";
import { buildCasebookSchema } from "../../src/graphql/schema.js";
import { startTestServer, type TestServer } from "../support/http.js";

interface Case {
  name: string;
  query: string;
  /** Values, or values from the ids of the last entities seeded. */
  variables?: Record<string, unknown> | ((ids: Record<string, string>) => Record<string, unknown>);
  operationName?: string;
}

const ENTITY = "id name status version createdAt updatedAt finishedAt metadata isRunning isTerminal validEvents";

const CASES: Case[] = [
  {
    name: "the dashboard read, three levels deep",
    query: `{ missions(first: 10) { totalCount edges { cursor node { ${ENTITY} description
      jobs(first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${ENTITY} agentName missionId
        jobContext payload result error agentParameters caseIds
        cases(first: 10) { totalCount edges { cursor node { ${ENTITY} jobId description totalCost finalDelivery
          updates { index name cost payload isFinal error at } job { id mission { id } } } } } } } } } } } }`,
  },
  {
    name: "histories on every level, through an interface fragment",
    query: `fragment History on WorkflowEntity { __typename transitions(first: 2) { totalCount
        pageInfo { hasNextPage endCursor } edges { cursor node { id event fromStatus toStatus at actor reason } } } }
      { missions(first: 3) { edges { node { ...History jobs(first: 2) { edges { node { ...History
        cases(first: 2) { edges { node { ...History } } } } } } } } } }`,
  },
  {
    name: "aliases, variables, @skip and @include",
    query: `query Q($n: Int!, $withCases: Boolean!, $skipJobs: Boolean!, $status: [EntityStatus!]) {
      first: missions(first: $n) { edges { node { id jobs(first: 2) @skip(if: $skipJobs) { edges { node { id } } } } } }
      running: jobs(first: $n, status: $status) { edges { node { id status
        ... on Job @include(if: $withCases) { cases(first: 1) { edges { node { id } } } } } } } }`,
    variables: { n: 4, withCases: true, skipJobs: false, status: ["IN_PROGRESS"] },
  },
  {
    name: "the same document with the other branches taken",
    query: `query Q($n: Int!, $withCases: Boolean!, $skipJobs: Boolean!, $status: [EntityStatus!]) {
      first: missions(first: $n) { edges { node { id jobs(first: 2) @skip(if: $skipJobs) { edges { node { id } } } } } }
      running: jobs(first: $n, status: $status) { edges { node { id status
        ... on Job @include(if: $withCases) { cases(first: 1) { edges { node { id } } } } } } } }`,
    variables: { n: 2, withCases: false, skipJobs: true, status: null },
  },
  {
    name: "a nested error nulls its non-null parents up to the nearest nullable field",
    query: "{ missions(first: 2) { edges { node { id jobs(first: 501) { totalCount } } } } }",
  },
  {
    name: "an error in a nullable field leaves its siblings",
    query: `{ ok: missions(first: 1) { totalCount } bad: job(id: "no such/id") { id } missing: job(id: "nope") { id } }`,
  },
  {
    name: "a cursor that is not one",
    query: `{ missions(first: 1) { edges { node { jobs(first: 1, after: "garbage") { totalCount } } } } }`,
  },
  {
    name: "lookups by id, known and unknown",
    query: `query ById($mission: ID!, $job: ID!, $case: ID!) {
      mission(id: $mission) { id jobs(first: 1) { edges { node { id } } } }
      job(id: $job) { id mission { id } } case(id: $case) { id job { id } } nothing: case(id: "none") { id } }`,
    variables: (ids) => ({ mission: ids.mission, job: ids.job, case: ids.case }),
  },
  {
    name: "the lifecycle",
    query: "{ lifecycle { transitions { event from to } runningStatuses terminalStatuses anomalyStatuses mermaid } }",
  },
  {
    name: "a variable of the wrong type is refused before anything runs",
    query: "query Q($n: Int!) { missions(first: $n) { totalCount } }",
    variables: { n: "ten" },
  },
  {
    name: "a required variable left out",
    query: "query Q($id: ID!) { job(id: $id) { id } }",
    variables: {},
  },
  {
    name: "an operation name that names nothing",
    query: "query A { __typename } query B { __typename }",
    operationName: "C",
  },
  {
    name: "one of two operations, by name",
    query: "query A { __typename } query B { missions(first: 1) { totalCount } }",
    operationName: "B",
  },
];

/** What a client sees of a result, errors included (messages, paths, locations, codes). */
function visible(result: { data?: unknown; errors?: readonly GraphQLError[] }) {
  return JSON.parse(
    JSON.stringify({
      data: result.data,
      errors: result.errors?.map((error) => ({
        message: error.message,
        path: error.path,
        locations: error.locations,
        code: (error.originalError as { code?: string } | undefined)?.code,
      })),
    }),
  );
}

describe("compiled execution answers as graphql-js does", () => {
  let server: TestServer;
  let schema: GraphQLSchema;
  let ids: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    schema = await buildCasebookSchema();
    const { missions, jobs, cases } = server.app.services;
    for (let m = 0; m < 3; m++) {
      const mission = await missions.create({ name: `mission ${m}`, description: m ? `goal ${m}` : undefined });
      if (m > 0) await missions.handleEvent(mission.id, "START_WORK", { actor: "planner", reason: "go" });
      for (let j = 0; j < 3; j++) {
        const job = await jobs.create({
          name: `job ${m}.${j}`,
          agentName: "agent",
          missionId: mission.id,
          payload: { step: j },
          metadata: { team: `t${j}` },
        });
        if (j > 0) await jobs.handleEvent(job.id, "START_WORK");
        for (let c = 0; c < 3; c++) {
          const started = await cases.start({ jobId: job.id, name: `case ${m}.${j}.${c}` });
          if (c === 1) await cases.addUpdate(started.id, { name: "step", cost: 0.5, payload: { ok: true } });
          if (c === 2) await cases.handleEvent(started.id, "SUCCESSFULLY_DONE");
          ids = { mission: mission.id, job: job.id, case: started.id };
        }
      }
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const document = parse(c.query);
    const variables = typeof c.variables === "function" ? c.variables(ids) : c.variables;
    const operationName = c.operationName ?? null;
    const interpreted = await execute({
      schema,
      document,
      variableValues: variables,
      operationName,
      contextValue: createContext(server.app.services),
    });
    // Compiled from the first run on (the server interprets a document's first run).
    const run = compiledOperations(schema, 0);
    const compiled = await run({
      document,
      operationName,
      variables,
      contextValue: createContext(server.app.services),
    });
    expect(visible(compiled)).toEqual(visible(interpreted));
    // Twice: the second run reuses the compiled operation.
    const again = await run({ document, operationName, variables, contextValue: createContext(server.app.services) });
    expect(visible(again)).toEqual(visible(interpreted));
  });

  it("covers data, errors and null propagation (the corpus proves something)", async () => {
    const run = compiledOperations(schema, 0);
    const nested = await run({
      document: parse(CASES[4]!.query),
      operationName: null,
      variables: undefined,
      contextValue: createContext(server.app.services),
    });
    // The first mission's `jobs` failed; the non-null chain up to the root makes data null.
    expect(nested.data).toBeNull();
    expect(nested.errors?.map((e) => e.path)).toContainEqual(["missions", "edges", 0, "node", "jobs"]);
  });

  it("interprets a document's first run and compiles it when it comes again, with the same answers", async () => {
    const run = compiledOperations(schema);
    const document = parse(CASES[0]!.query);
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(
        visible(
          await run({ document, operationName: null, variables: {}, contextValue: createContext(server.app.services) }),
        ),
      );
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it("a mutation field that fails stops the document: the fields after it do not run", async () => {
    const run = compiledOperations(schema, 0);
    const document = parse(`mutation {
      refused: createMission(input: { name: "" }) { id }
      never: createMission(input: { name: "written after a failure" }) { id }
    }`);
    const before = await server.app.services.missions.count({});
    for (let i = 0; i < 2; i++) {
      const result = await run({
        document,
        operationName: null,
        variables: {},
        contextValue: createContext(server.app.services),
      });
      expect(result.data).toBeNull();
      expect(result.errors?.map((e) => e.path)).toEqual([["refused"]]);
    }
    expect(await server.app.services.missions.count({})).toBe(before);
  });
});
