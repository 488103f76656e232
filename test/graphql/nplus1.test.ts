// The UI's nested query costs a fixed number of SQL statements whatever the amount of data:
// every relation is loaded in one batch per level, never once per parent.

import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardDocument, DashboardWithHistoryDocument } from "../generated/graphql.js";
import { dataOf, startTestServer, type TestServer } from "../support/http.js";

interface Size {
  missions: number;
  jobs: number;
  cases: number;
}

const SMALL: Size = { missions: 2, jobs: 2, cases: 2 };
// One more than the query's page at every level (missions 20, jobs 10, cases 10).
const LARGE: Size = { missions: 21, jobs: 11, cases: 11 };

async function seededServer(size: Size): Promise<TestServer> {
  // Depth 13 is what transitions under cases under jobs under missions need; NORMAL sync only
  // makes seeding faster.
  // No deadline sweep during the test: its statements would be counted with the request's.
  const server = await startTestServer({
    SQLITE_SYNCHRONOUS: "NORMAL",
    GRAPHQL_MAX_DEPTH: "13",
    DEADLINE_SWEEP_INTERVAL_MS: "3600000",
  });
  const { services } = server.app;
  for (let m = 0; m < size.missions; m++) {
    const mission = await services.missions.create({ name: `mission ${m}` });
    await services.missions.handleEvent(mission.id, "START_WORK", { actor: "seed" });
    for (let j = 0; j < size.jobs; j++) {
      const job = await services.jobs.create({ name: `job ${m}.${j}`, agentName: "agent", missionId: mission.id });
      await services.jobs.handleEvent(job.id, "START_WORK");
      for (let c = 0; c < size.cases; c++) await services.cases.start({ jobId: job.id, name: `case ${m}.${j}.${c}` });
    }
  }
  return server;
}

/** SQL statements one HTTP request runs, with the data it returned. */
async function measure<TData>(server: TestServer, document: TypedDocumentNode<TData, Record<string, never>>) {
  const before = server.app.db.statementsExecuted;
  const data = dataOf(await server.request(document, {}));
  return { statements: server.app.db.statementsExecuted - before, data };
}

describe("statements per request, small vs large data", () => {
  let small: TestServer;
  let large: TestServer;

  beforeAll(async () => {
    [small, large] = await Promise.all([seededServer(SMALL), seededServer(LARGE)]);
  });

  afterAll(async () => {
    await Promise.all([small?.stop(), large?.stop()]);
  });

  it("the UI query: the same count at both sizes, at most 2 per level", async () => {
    const atSmall = await measure(small, DashboardDocument);
    const atLarge = await measure(large, DashboardDocument);
    expect(atLarge.statements).toBe(atSmall.statements);
    expect(atSmall.statements).toBeLessThanOrEqual(6);

    const missions = atLarge.data.missions.edges.map((e) => e.node);
    expect(missions).toHaveLength(20);
    for (const mission of missions) {
      expect(mission.jobs.totalCount).toBe(LARGE.jobs);
      expect(mission.jobs.edges).toHaveLength(10);
      for (const { node: job } of mission.jobs.edges) {
        expect(job.cases.edges).toHaveLength(10);
        expect(job.cases.edges.every((e) => e.node.status === "IN_PROGRESS")).toBe(true);
      }
    }
  });

  it("the UI query with history, case counts and steps on every node: still the same count at both sizes", async () => {
    const atSmall = await measure(small, DashboardWithHistoryDocument);
    const atLarge = await measure(large, DashboardWithHistoryDocument);
    expect(atLarge.statements).toBe(atSmall.statements);
    // Eight lists (missions, jobs, cases, case counts, steps, three histories): at most 2 statements each.
    expect(atSmall.statements).toBeLessThanOrEqual(16);

    for (const { node: mission } of atLarge.data.missions.edges) {
      expect(mission.transitions.edges.map((e) => [e.node.event, e.node.actor])).toEqual([["START_WORK", "seed"]]);
      for (const { node: job } of mission.jobs.edges) {
        expect(job.caseCount.totalCount).toBe(LARGE.cases);
        expect(job.transitions.totalCount).toBe(1);
        const cases = job.cases.edges.map((e) => e.node);
        expect(cases).toHaveLength(10);
        for (const c of cases) {
          expect(c.steps).toEqual({ totalCount: 0, edges: [] });
          expect(c.job.id).toBe(job.id);
          expect(c.transitions.edges.map((e) => e.node.toStatus)).toEqual(["IN_PROGRESS"]);
        }
      }
    }
  });

  it("the UI query passes the default query limits", async () => {
    const server = await startTestServer({ DEADLINE_SWEEP_INTERVAL_MS: "3600000" });
    try {
      const response = await server.request(DashboardDocument, {});
      expect(response.errors).toBeUndefined();
      expect(response.data?.missions.edges).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
