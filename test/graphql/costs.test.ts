// Costs add exactly and stay finite: a case's totalCost is the exact sum of its steps' decimal
// costs, and a cost or total past the maximum is refused with nothing written, so no case can
// hold a total that breaks its later reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_COST } from "../../src/domain/cost.js";
import { dataOf, errorOf, startTestServer, type TestServer } from "../support/http.js";
import { snapshotRows } from "../support/rows.js";

const ADD_STEP = `mutation ($id: ID!, $cost: Float) { addCaseUpdate(caseId: $id, update: { name: "step", cost: $cost }) { totalCost } }`;
const READ_CASE = `query ($id: ID!) { case(id: $id) { totalCost updates { cost } } job(id: "j1") { cases { edges { node { id totalCost } } } } }`;

interface CaseRead {
  case: { totalCost: number; updates: { cost: number | null }[] };
  job: { cases: { edges: { node: { id: string; totalCost: number } }[] } };
}

describe("case costs", () => {
  let server: TestServer;

  async function startCase(id: string) {
    dataOf(await server.request(`mutation { startCase(input: { id: "${id}", jobId: "j1", name: "c" }) { id } }`));
  }

  async function readCase(id: string) {
    return dataOf(await server.request<CaseRead>(READ_CASE, { id }));
  }

  beforeAll(async () => {
    server = await startTestServer();
    dataOf(await server.request(`mutation { createJob(input: { id: "j1", name: "job", agentName: "a" }) { id } }`));
    dataOf(await server.request(`mutation { handleJobEvent(id: "j1", event: START_WORK) { id } }`));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("add up exactly: 1,000 steps of 0.01 read back as a total of 10", async () => {
    await startCase("pennies");
    for (let i = 0; i < 1000; i++) dataOf(await server.request(ADD_STEP, { id: "pennies", cost: 0.01 }));
    const read = await readCase("pennies");
    expect(read.case.totalCost).toBe(10);
    expect(new Set(read.case.updates.map((u) => u.cost))).toEqual(new Set([0.01]));
  });

  it("keep six decimals as given: 0.1 + 0.2 is 0.3", async () => {
    await startCase("tenths");
    dataOf(await server.request(ADD_STEP, { id: "tenths", cost: 0.1 }));
    const second = dataOf(
      await server.request<{ addCaseUpdate: { totalCost: number } }>(ADD_STEP, { id: "tenths", cost: 0.2 }),
    );
    expect(second.addCaseUpdate.totalCost).toBe(0.3);
    expect((await readCase("tenths")).case.totalCost).toBe(0.3);
  });

  it.each([
    ["of 1.7e308", "huge", 1.7e308],
    ["past the maximum", "over", MAX_COST + 1],
    ["below zero", "negative", -0.01],
  ])("refuse a cost %s as BAD_USER_INPUT on cost, writing nothing", async (_name, id, cost) => {
    await startCase(id);
    const before = await snapshotRows(server.app.db);
    const error = errorOf(await server.request(ADD_STEP, { id, cost }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "cost" });
    expect(await snapshotRows(server.app.db)).toEqual(before);
  });

  it("refuse a step that would take the total past the maximum, step and total alike, and the case still reads", async () => {
    await startCase("full");
    dataOf(await server.request(ADD_STEP, { id: "full", cost: MAX_COST }));
    const before = await snapshotRows(server.app.db);
    for (const cost of [0.000001, MAX_COST, 1.7e308]) {
      const error = errorOf(await server.request(ADD_STEP, { id: "full", cost }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "cost" });
    }
    expect(await snapshotRows(server.app.db)).toEqual(before);
    const read = await readCase("full");
    expect(read.case).toEqual({ totalCost: MAX_COST, updates: [{ cost: MAX_COST }] });
    expect(read.job.cases.edges.find((e) => e.node.id === "full")?.node.totalCost).toBe(MAX_COST);
  });
});
