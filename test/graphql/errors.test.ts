// Every error code of the contract, produced over HTTP, with the extensions it promises; and a
// failed request leaves every row of the database as it was.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddCaseUpdateDocument,
  CreateJobDocument,
  CreateMissionDocument,
  HandleCaseEventDocument,
  HandleJobEventDocument,
  HandleMissionEventDocument,
  JobsDocument,
  MissionsDocument,
  StartCaseDocument,
  TransitionCaseDocument,
  TransitionJobDocument,
  UpdateCaseDocument,
  UpdateJobDocument,
} from "../generated/graphql.js";
import { dataOf, errorOf, type GraphQLResponse, startTestServer, type TestServer } from "../support/http.js";
import { execute, snapshotRows } from "../support/rows.js";

describe("error codes over HTTP", () => {
  let server: TestServer;

  /** Runs a request that must fail, and checks that it wrote nothing. */
  async function refused(send: () => Promise<GraphQLResponse<unknown>>) {
    const before = await snapshotRows(server.app.db);
    const response = await send();
    expect(await snapshotRows(server.app.db)).toEqual(before);
    expect(response.data ?? null).toBeNull();
    return errorOf(response);
  }

  beforeAll(async () => {
    server = await startTestServer();
    dataOf(await server.request(CreateMissionDocument, { input: { id: "m1", name: "mission" } }));
    dataOf(
      await server.request(CreateJobDocument, {
        input: { id: "j1", name: "job", agentName: "writer", missionId: "m1" },
      }),
    );
    dataOf(await server.request(HandleJobEventDocument, { id: "j1", event: "START_WORK" }));
    dataOf(await server.request(StartCaseDocument, { input: { id: "c1", jobId: "j1", name: "case" } }));
    dataOf(await server.request(HandleCaseEventDocument, { id: "c1", event: "SUCCESSFULLY_DONE" }));
  });

  afterAll(async () => {
    await server?.stop();
  });

  describe("NOT_FOUND, with entityType and id", () => {
    const cases: [string, () => Promise<GraphQLResponse<unknown>>, string][] = [
      [
        "handleMissionEvent",
        () => server.request(HandleMissionEventDocument, { id: "nope", event: "START_WORK" }),
        "Mission",
      ],
      ["transitionJob", () => server.request(TransitionJobDocument, { id: "nope", to: "IN_PROGRESS" }), "Job"],
      ["handleCaseEvent", () => server.request(HandleCaseEventDocument, { id: "nope", event: "START_WORK" }), "Case"],
      ["updateJob", () => server.request(UpdateJobDocument, { id: "nope", input: { name: "x" } }), "Job"],
      ["updateCase", () => server.request(UpdateCaseDocument, { id: "nope", input: { name: "x" } }), "Case"],
      [
        "addCaseUpdate",
        () => server.request(AddCaseUpdateDocument, { caseId: "nope", update: { name: "step" } }),
        "Case",
      ],
    ];
    it.each(cases)("%s on a missing id", async (_name, send, entityType) => {
      const error = await refused(send);
      expect(error.extensions).toEqual({ code: "NOT_FOUND", entityType, id: "nope" });
    });
  });

  describe("INVALID_TRANSITION, naming from and the event or target, and the valid events", () => {
    it("an event not allowed from the current status", async () => {
      const error = await refused(() =>
        server.request(HandleMissionEventDocument, { id: "m1", event: "SUCCESSFULLY_DONE" }),
      );
      expect(error.extensions).toMatchObject({
        code: "INVALID_TRANSITION",
        from: "STOPPED",
        event: "SUCCESSFULLY_DONE",
        validEvents: ["START_WORK"],
      });
    });

    it("a target status no single event leads to", async () => {
      const error = await refused(() => server.request(TransitionJobDocument, { id: "j1", to: "CANCELLED" }));
      expect(error.extensions).toMatchObject({
        code: "INVALID_TRANSITION",
        from: "IN_PROGRESS",
        to: "CANCELLED",
        validEvents: ["SUCCESSFULLY_DONE", "AWAITING_ON_INPUT", "CANCEL_REQUESTED", "ERROR_ENCOUNTERED"],
      });
      expect(error.extensions).not.toHaveProperty("event");
    });

    it("anything out of a terminal status; a step with an error there is ENTITY_FINISHED", async () => {
      const byTarget = await refused(() => server.request(TransitionCaseDocument, { id: "c1", to: "IN_PROGRESS" }));
      expect(byTarget.extensions).toMatchObject({
        code: "INVALID_TRANSITION",
        from: "COMPLETED",
        to: "IN_PROGRESS",
        validEvents: [],
      });
      const step = await refused(() =>
        server.request(AddCaseUpdateDocument, { caseId: "c1", update: { cost: 3, error: "late failure" } }),
      );
      expect(step.extensions).toEqual({ code: "ENTITY_FINISHED", entityType: "Case", id: "c1", status: "COMPLETED" });
    });
  });

  describe("VERSION_CONFLICT, with expected and actual", () => {
    it("on an event", async () => {
      const error = await refused(() =>
        server.request(HandleMissionEventDocument, { id: "m1", event: "START_WORK", options: { expectedVersion: 7 } }),
      );
      expect(error.extensions).toMatchObject({ code: "VERSION_CONFLICT", expected: 7, actual: 0 });
    });

    it("on an edit", async () => {
      const error = await refused(() =>
        server.request(UpdateJobDocument, { id: "j1", input: { result: { ok: true } }, expectedVersion: 0 }),
      );
      expect(error.extensions).toMatchObject({ code: "VERSION_CONFLICT", expected: 0, actual: 1 });
    });
  });

  describe("ALREADY_EXISTS, with entityType and id", () => {
    it.each([
      ["Mission", () => server.request(CreateMissionDocument, { input: { id: "m1", name: "again" } }), "m1"],
      ["Job", () => server.request(CreateJobDocument, { input: { id: "j1", name: "again", agentName: "a" } }), "j1"],
      ["Case", () => server.request(StartCaseDocument, { input: { id: "c1", jobId: "j1", name: "again" } }), "c1"],
    ] as const)("creating a %s with a taken id", async (entityType, send, id) => {
      const error = await refused(send);
      expect(error.extensions).toEqual({ code: "ALREADY_EXISTS", entityType, id });
    });
  });

  describe("BAD_USER_INPUT, with the field", () => {
    const cases: [string, () => Promise<GraphQLResponse<unknown>>, string][] = [
      ["an empty name", () => server.request(CreateMissionDocument, { input: { name: "   " } }), "name"],
      [
        "an unknown missionId",
        () => server.request(CreateJobDocument, { input: { name: "j", agentName: "a", missionId: "nope" } }),
        "missionId",
      ],
      ["an unknown jobId", () => server.request(StartCaseDocument, { input: { name: "c", jobId: "nope" } }), "jobId"],
      ["first above 500", () => server.request(JobsDocument, { first: 501 }), "first"],
      ["a negative first", () => server.request(MissionsDocument, { first: -1 }), "first"],
      ["an id with spaces", () => server.request(CreateMissionDocument, { input: { id: "bad id!", name: "m" } }), "id"],
      [
        "an id with a slash",
        () => server.request(CreateJobDocument, { input: { id: "../etc", name: "j", agentName: "a" } }),
        "id",
      ],
      [
        "a string for a JSONObject variable",
        () => server.request(CreateMissionDocument, { input: { name: "m", metadata: "not an object" as never } }),
        "metadata",
      ],
      [
        "a string for a JSONObject literal",
        () => server.request(`mutation { createMission(input: { name: "m", metadata: "oops" }) { id } }`),
        "metadata",
      ],
      ["a negative cost", () => server.request(AddCaseUpdateDocument, { caseId: "c1", update: { cost: -1 } }), "cost"],
    ];
    it.each(cases)("%s", async (_name, send, field) => {
      const error = await refused(send);
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    });
  });

  describe("INTERNAL_SERVER_ERROR, masked", () => {
    const SECRET = "disk full at /var/lib/secret/entities.db";

    // A failure the code does not expect: the database refuses every new job. On SQLite a
    // connection-local trigger, so the file's schema stays as it was; on PostgreSQL a trigger in
    // the server's own database. Resolves to what mends it.
    async function breakJobInserts(target: TestServer): Promise<() => Promise<void>> {
      const db = target.app.db;
      if (db.engine === "sqlite") {
        await execute(
          db,
          `CREATE TEMP TRIGGER refuse_jobs BEFORE INSERT ON main."Job" BEGIN SELECT RAISE(ABORT, '${SECRET}'); END`,
        );
        return async () => void (await execute(db, `DROP TRIGGER temp.refuse_jobs`));
      }
      await execute(
        db,
        `CREATE FUNCTION refuse_jobs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${SECRET}'; END $$`,
      );
      await execute(
        db,
        `CREATE TRIGGER refuse_jobs BEFORE INSERT ON "Job" FOR EACH ROW EXECUTE FUNCTION refuse_jobs()`,
      );
      return async () => void (await execute(db, `DROP FUNCTION refuse_jobs() CASCADE`));
    }

    function expectMasked(response: GraphQLResponse<unknown>) {
      const error = errorOf(response);
      expect(error.message).toBe("Internal server error");
      expect(error.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
      const text = JSON.stringify(response.body);
      expect(text).not.toContain("secret");
      expect(text).not.toMatch(/Sqlite|postgres|pgsql|stack|\.ts:\d+/i);
    }

    it("a failed write is rolled back and reported without its message or stack", async () => {
      const mend = await breakJobInserts(server);
      try {
        const before = await snapshotRows(server.app.db);
        const response = await server.request(CreateJobDocument, {
          input: { id: "j-broken", name: "j", agentName: "a", missionId: "m1" },
        });
        expect(await snapshotRows(server.app.db)).toEqual(before);
        expectMasked(response);
      } finally {
        await mend();
      }
    });

    it.each(["production", "test"])("with APP_ENV=%s, also when the database has gone away", async (appEnv) => {
      const other = await startTestServer({ APP_ENV: appEnv, LOG_LEVEL: "silent" });
      try {
        await breakJobInserts(other);
        expectMasked(await other.request(CreateJobDocument, { input: { name: "j", agentName: "a" } }));
        await other.app.db.close();
        expectMasked(await other.request(MissionsDocument, {}));
        const health = await fetch(`${other.origin}/health`);
        expect(health.status).toBe(503);
        expect(await health.json()).toMatchObject({ status: "unavailable" });
      } finally {
        await other.stop();
      }
    });

    it("only development shows what went wrong", async () => {
      const dev = await startTestServer({ APP_ENV: "development", LOG_LEVEL: "silent" });
      try {
        await breakJobInserts(dev);
        const error = errorOf(await dev.request(CreateJobDocument, { input: { name: "j", agentName: "a" } }));
        expect(error.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
        expect(error.message).toContain(SECRET);
      } finally {
        await dev.stop();
      }
    });
  });
});
