// The workflow rules over HTTP: ENTITY_FINISHED and ENTITY_RUNNING with the extensions the
// contract lists, `force`, `cascade`, deadlines (one of them left to the real clock and the
// server's own sweeper), the error fields, and what a document with several mutations tells
// the client when one of them fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataOf, errorOf, type GraphQLResponse, startTestServer, type TestServer } from "../support/http.js";
import { snapshotRows } from "../support/rows.js";

let server: TestServer;
beforeAll(async () => {
  // A sweep every 50 ms: the real-time test below waits for the server's own sweeper.
  server = await startTestServer({ DEADLINE_SWEEP_INTERVAL_MS: "50" });
});
afterAll(() => server.stop());

type Data = Record<string, Record<string, unknown> | null>;

async function ok(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  return dataOf(await server.request<Data>(query, variables));
}

/** A request that must fail and write nothing; its response. */
async function refused(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<Data>> {
  const before = await snapshotRows(server.app.db);
  const response = await server.request<Data>(query, variables);
  expect(response.errors?.length, JSON.stringify(response.body)).toBeGreaterThan(0);
  expect(await snapshotRows(server.app.db)).toEqual(before);
  return response;
}

const EVENT = `mutation ($id: ID!, $event: EntityEvent!, $options: EventOptions) {
  handleJobEvent(id: $id, event: $event, options: $options) { id status version awaitingUntil error }
}`;

let counter = 0;
async function runningJob(missionId?: string): Promise<string> {
  const id = `wf-job-${++counter}`;
  await ok(`mutation ($input: CreateJobInput!) { createJob(input: $input) { id } }`, {
    input: { id, name: "job", agentName: "agent", missionId },
  });
  await ok(EVENT, { id, event: "START_WORK" });
  return id;
}

describe("ENTITY_FINISHED over HTTP", () => {
  it("names the finished entity and its status, for an edit, a step and a new child", async () => {
    const job = await runningJob();
    await ok(`mutation ($input: StartCaseInput!) { startCase(input: $input) { id } }`, {
      input: { id: "wf-case-done", jobId: job, name: "case" },
    });
    await ok(`mutation { handleCaseEvent(id: "wf-case-done", event: SUCCESSFULLY_DONE) { status } }`);
    await ok(EVENT, { id: job, event: "SUCCESSFULLY_DONE" });

    const step = await refused(`mutation { addCaseUpdate(caseId: "wf-case-done", update: { cost: 1 }) { id } }`);
    expect(errorOf(step).extensions).toEqual({
      code: "ENTITY_FINISHED",
      entityType: "Case",
      id: "wf-case-done",
      status: "COMPLETED",
    });
    const edit = await refused(`mutation ($id: ID!) { updateJob(id: $id, input: { name: "late" }) { id } }`, {
      id: job,
    });
    expect(errorOf(edit).extensions).toEqual({
      code: "ENTITY_FINISHED",
      entityType: "Job",
      id: job,
      status: "COMPLETED",
    });
    const child = await refused(`mutation ($input: StartCaseInput!) { startCase(input: $input) { id } }`, {
      input: { jobId: job, name: "late" },
    });
    expect(errorOf(child).extensions).toEqual({
      code: "ENTITY_FINISHED",
      entityType: "Job",
      id: job,
      status: "COMPLETED",
    });
  });
});

describe("deleting running work over HTTP", () => {
  it("is ENTITY_RUNNING without force, and done with force: true", async () => {
    const job = await runningJob();
    const refusal = await refused(`mutation ($id: ID!) { deleteJob(id: $id) }`, { id: job });
    expect(errorOf(refusal).extensions).toEqual({ code: "ENTITY_RUNNING", entityType: "Job", id: job });
    expect(await ok(`mutation ($id: ID!) { deleteJob(id: $id, force: true) }`, { id: job })).toEqual({
      deleteJob: true,
    });
  });
});

describe("cancels over HTTP", () => {
  it("cascade by default and not with cascade: false", async () => {
    const mission = "wf-mission";
    await ok(`mutation { createMission(input: { id: "wf-mission", name: "m" }) { id } }`);
    await ok(`mutation { handleMissionEvent(id: "wf-mission", event: START_WORK) { id } }`);
    const alone = await runningJob(mission);
    await ok(EVENT, { id: alone, event: "CANCEL_REQUESTED", options: { cascade: false } });
    const job = await runningJob(mission);
    await ok(
      `mutation { handleMissionEvent(id: "wf-mission", event: CANCEL_REQUESTED, options: { actor: "ops" }) { status } }`,
    );
    const read = await ok(
      `query ($id: ID!) {
      job(id: $id) { status transitions { edges { node { event actor reason } } } }
    }`,
      { id: job },
    );
    expect(read.job).toMatchObject({ status: "CANCELLING" });
    expect((read.job!.transitions as { edges: { node: unknown }[] }).edges.at(-1)!.node).toEqual({
      event: "CANCEL_REQUESTED",
      actor: "Mission:wf-mission",
      reason: 'cancelled with its mission "wf-mission" (CANCEL_REQUESTED by ops)',
    });
  });
});

describe("deadlines over HTTP", () => {
  it("timeoutSeconds shows as awaitingUntil, and the server fires TIMEOUT_OR_ERROR by itself when it passes", async () => {
    const job = await runningJob();
    const asked = Date.now();
    const waiting = (await ok(EVENT, { id: job, event: "AWAITING_ON_INPUT", options: { timeoutSeconds: 1 } }))
      .handleJobEvent!;
    expect(waiting.status).toBe("AWAITING");
    expect(Date.parse(waiting.awaitingUntil as string)).toBeGreaterThanOrEqual(asked + 1000);

    // The real clock and the server's own sweeper: wait (bounded) until it has fired.
    let job_: Record<string, unknown> | null | undefined;
    for (let i = 0; i < 200; i++) {
      job_ = (await ok(`query ($id: ID!) { job(id: $id) { status error awaitingUntil } }`, { id: job })).job;
      if (job_?.status !== "AWAITING") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job_).toEqual({
      status: "FAILED",
      error: `the deadline ${new Date(waiting.awaitingUntil as string).toISOString()} passed without input`,
      awaitingUntil: null,
    });
    const late = await refused(EVENT, { id: job, event: "INPUT_RECEIVED" });
    expect(errorOf(late).extensions).toMatchObject({ code: "INVALID_TRANSITION", from: "FAILED" });
  });

  it("an awaitingUntil in the past is BAD_USER_INPUT naming it", async () => {
    const job = await runningJob();
    const response = await refused(EVENT, {
      id: job,
      event: "AWAITING_ON_INPUT",
      options: { awaitingUntil: "2001-01-01T00:00:00Z" },
    });
    expect(errorOf(response).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "awaitingUntil" });
  });
});

describe("a document with several mutations", () => {
  it("runs them in order, each in its own transaction; a failure stops the rest and `written` lists what was committed", async () => {
    const response = await server.request<Data>(`mutation {
      first: createMission(input: { id: "wf-doc-1", name: "one" }) { id }
      second: createJob(input: { id: "wf-doc-job", name: "j", agentName: "a", missionId: "wf-no-such-mission" }) { id }
      third: createMission(input: { id: "wf-doc-3", name: "three" }) { id }
    }`);
    // Every mutation returns a non-null type: the failing field's null takes `data` with it.
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(errorOf(response)).toMatchObject({
      path: ["second"],
      extensions: { code: "BAD_USER_INPUT", field: "missionId" },
    });
    expect(response.body).toMatchObject({ extensions: { written: ["first"] } });
    const read = await ok(
      `{ one: mission(id: "wf-doc-1") { id } three: mission(id: "wf-doc-3") { id } job(id: "wf-doc-job") { id } }`,
    );
    expect(read).toEqual({ one: { id: "wf-doc-1" }, three: null, job: null });
  });

  it("a failure in the first field has written nothing, and says so", async () => {
    const response = await refused(`mutation {
      first: updateJob(id: "wf-no-such-job", input: { name: "x" }) { id }
      second: createMission(input: { id: "wf-doc-never", name: "never" }) { id }
    }`);
    expect(response.body).toMatchObject({ extensions: { written: [] } });
  });

  it("a document that succeeds carries no such extension", async () => {
    const response = await server.request<Data>(`mutation {
      a: createMission(input: { id: "wf-doc-ok-1", name: "a" }) { id }
      b: createMission(input: { id: "wf-doc-ok-2", name: "b" }) { id }
    }`);
    expect(response.body).toEqual({ data: { a: { id: "wf-doc-ok-1" }, b: { id: "wf-doc-ok-2" } } });
  });
});
