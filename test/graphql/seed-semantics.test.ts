// Reads and deletes of ids that name nothing, and what a delete takes with it: a job its cases,
// their steps and every history row; a mission its jobs and everything under them.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddCaseUpdateDocument,
  CaseDocument,
  CreateJobDocument,
  CreateMissionDocument,
  DeleteCaseDocument,
  DeleteJobDocument,
  DeleteMissionDocument,
  HandleJobEventDocument,
  HandleMissionEventDocument,
  JobDocument,
  JobsDocument,
  MissionDocument,
  StartCaseDocument,
} from "../generated/graphql.js";
import { dataOf, startTestServer, type TestServer } from "../support/http.js";
import { countOf, placeholders } from "../support/rows.js";

describe("missing ids and cascading deletes over HTTP", () => {
  let server: TestServer;

  const count = (sql: string, params: string[] = []) =>
    countOf(server.app.db, `SELECT COUNT(*) AS n FROM ${sql}`, params);
  const transitionsOf = (column: "missionId" | "jobId" | "caseId", ids: string[]) =>
    count(`"Transition" WHERE "${column}" IN ${placeholders(ids)}`, ids);

  async function job(id: string, missionId: string | null, caseIds: string[]) {
    dataOf(await server.request(CreateJobDocument, { input: { id, name: id, agentName: "agent", missionId } }));
    dataOf(await server.request(HandleJobEventDocument, { id, event: "START_WORK", options: { actor: "seed" } }));
    for (const caseId of caseIds) {
      dataOf(await server.request(StartCaseDocument, { input: { id: caseId, jobId: id, name: caseId } }));
      dataOf(await server.request(AddCaseUpdateDocument, { caseId, update: { name: "step", cost: 1 } }));
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    dataOf(await server.request(CreateMissionDocument, { input: { id: "m1", name: "mission" } }));
    dataOf(await server.request(HandleMissionEventDocument, { id: "m1", event: "START_WORK" }));
    await job("j1", "m1", ["c1", "c2", "c3"]);
    await job("j2", "m1", ["c4"]);
    await job("j-alone", null, ["c5"]);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("reads a missing id as null, without an error", async () => {
    const responses = [
      await server.request(MissionDocument, { id: "does-not-exist" }),
      await server.request(JobDocument, { id: "does-not-exist" }),
      await server.request(CaseDocument, { id: "does-not-exist" }),
    ];
    expect(responses.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(responses.map((r) => r.data)).toEqual([{ mission: null }, { job: null }, { case: null }]);
  });

  it("reads an id holding a NUL character as missing too, on either engine", async () => {
    // PostgreSQL cannot hold the character, so no row has it; SQLite finds no row either.
    const response = await server.request(`{ job(id: "a\\u0000b") { id } case(id: "\\u0000") { id } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ job: null, case: null });
  });

  it("deleting a missing id returns false and changes nothing", async () => {
    const before = await count(`"Transition"`);
    expect(dataOf(await server.request(DeleteMissionDocument, { id: "does-not-exist" })).deleteMission).toBe(false);
    expect(dataOf(await server.request(DeleteJobDocument, { id: "does-not-exist" })).deleteJob).toBe(false);
    expect(dataOf(await server.request(DeleteCaseDocument, { id: "does-not-exist" })).deleteCase).toBe(false);
    expect(await count(`"Transition"`)).toBe(before);
  });

  it("deleting a case removes its steps and history, and only its own", async () => {
    expect(await transitionsOf("caseId", ["c3"])).toBe(1);
    expect(dataOf(await server.request(DeleteCaseDocument, { id: "c3", force: true })).deleteCase).toBe(true);
    expect(dataOf(await server.request(CaseDocument, { id: "c3" })).case).toBeNull();
    expect(await transitionsOf("caseId", ["c3"])).toBe(0);
    expect(await count(`"CaseUpdate" WHERE "caseId" = 'c3'`)).toBe(0);
    expect(dataOf(await server.request(JobDocument, { id: "j1" })).job?.caseIds).toEqual(["c1", "c2"]);
    expect(dataOf(await server.request(DeleteCaseDocument, { id: "c3" })).deleteCase).toBe(false);
  });

  it("deleting a job removes its cases, their steps and all their history", async () => {
    expect(await transitionsOf("caseId", ["c1", "c2"])).toBe(2);
    expect(await transitionsOf("jobId", ["j1"])).toBe(1);

    expect(dataOf(await server.request(DeleteJobDocument, { id: "j1", force: true })).deleteJob).toBe(true);

    expect(dataOf(await server.request(JobDocument, { id: "j1" })).job).toBeNull();
    for (const id of ["c1", "c2"]) expect(dataOf(await server.request(CaseDocument, { id })).case).toBeNull();
    expect(await count(`"Case" WHERE "jobId" = 'j1'`)).toBe(0);
    expect(await count(`"CaseUpdate" WHERE "caseId" IN ('c1', 'c2')`)).toBe(0);
    expect(await transitionsOf("caseId", ["c1", "c2"])).toBe(0);
    expect(await transitionsOf("jobId", ["j1"])).toBe(0);

    // The mission and the other jobs keep everything.
    const { jobs } = dataOf(await server.request(JobsDocument, { missionId: "m1" }));
    expect(jobs.edges.map((e) => e.node.id)).toEqual(["j2"]);
    expect(dataOf(await server.request(CaseDocument, { id: "c4" })).case?.transitions.totalCount).toBe(1);
    expect(dataOf(await server.request(DeleteJobDocument, { id: "j1" })).deleteJob).toBe(false);
  });

  it("deleting a mission removes its jobs and everything under them, not jobs without a mission", async () => {
    expect(dataOf(await server.request(DeleteMissionDocument, { id: "m1", force: true })).deleteMission).toBe(true);

    expect(dataOf(await server.request(MissionDocument, { id: "m1" })).mission).toBeNull();
    expect(dataOf(await server.request(JobDocument, { id: "j2" })).job).toBeNull();
    expect(dataOf(await server.request(CaseDocument, { id: "c4" })).case).toBeNull();
    expect(await count(`"Job" WHERE "missionId" = 'm1'`)).toBe(0);
    expect(await transitionsOf("missionId", ["m1"])).toBe(0);
    expect(await transitionsOf("jobId", ["j2"])).toBe(0);
    expect(await transitionsOf("caseId", ["c4"])).toBe(0);

    const { jobs } = dataOf(await server.request(JobsDocument, {}));
    expect(jobs.edges.map((e) => e.node.id)).toEqual(["j-alone"]);
    expect(await count(`"Case"`)).toBe(1);
    expect(await count(`"Transition"`)).toBe(
      (await transitionsOf("jobId", ["j-alone"])) + (await transitionsOf("caseId", ["c5"])),
    );
    expect(await count(`"Transition"`)).toBe(2);
    expect(dataOf(await server.request(DeleteMissionDocument, { id: "m1" })).deleteMission).toBe(false);
  });
});
