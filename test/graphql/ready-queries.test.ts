// Queries Apollo has answered before are answered again without its pipeline
// (src/server/ready-query-route.ts). A client must not be able to tell: the same bytes and
// headers, and every request whose outcome depends on the request itself (its key, its
// variables, its content type, its Accept header, an error) still ends as Apollo ends it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngineDatabase, type EngineDatabase } from "../support/engine.js";
import { startTestServer, type TestServer } from "../support/http.js";
import { startServerProcess } from "../support/reliability/server-process.js";

const DASHBOARD = `query Dashboard($n: Int, $status: [EntityStatus!]) { missions(first: $n, status: $status) { totalCount edges { cursor node { id name status
  jobs(first: 3) { edges { node { id status cases(first: 2) { edges { node { id status totalCost } } } } } } } } } }`;

interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

async function post(
  server: TestServer,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<Reply> {
  const response = await fetch(server.url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const kept: Record<string, string> = {};
  // The date and the request id differ from one request to the next whoever answers.
  for (const [name, value] of response.headers) if (name !== "date" && name !== "x-request-id") kept[name] = value;
  return { status: response.status, headers: kept, text: await response.text() };
}

/** Sends `body` until the ready route answers it; returns Apollo's first reply and the ready one. */
async function warmed(server: TestServer, body: unknown, headers?: Record<string, string>) {
  const before = server.app.readyQueryAnswers();
  const apollo = await post(server, body, headers);
  for (let i = 0; i < 3; i++) {
    const reply = await post(server, body, headers);
    if (server.app.readyQueryAnswers() > before) return { apollo, ready: reply };
  }
  throw new Error("the ready route never answered");
}

async function seed(server: TestServer) {
  for (let m = 0; m < 3; m++) {
    const mission = `ready-m${m}`;
    await server.request(`mutation { createMission(input: { id: "${mission}", name: "Mission ${m}" }) { id } }`);
    for (let j = 0; j < 3; j++) {
      const job = `${mission}-j${j}`;
      await server.request(
        `mutation { createJob(input: { id: "${job}", name: "Job ${j}", agentName: "a", missionId: "${mission}" }) { id } }`,
      );
      await server.request(`mutation { handleJobEvent(id: "${job}", event: START_WORK) { id } }`);
      await server.request(`mutation { startCase(input: { jobId: "${job}", name: "Case" }) { id } }`);
    }
  }
}

describe("queries answered again without Apollo's pipeline", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ GRAPHQL_MAX_COST: "100" });
    await seed(server);
  });
  afterAll(() => server.stop());

  it("answers with the bytes and headers Apollo answered with", async () => {
    const { apollo, ready } = await warmed(server, {
      query: DASHBOARD,
      operationName: "Dashboard",
      variables: { n: 2 },
    });
    expect(apollo.status).toBe(200);
    expect(JSON.parse(apollo.text).data.missions.edges).toHaveLength(2);
    expect(ready).toEqual(apollo);
  });

  it("negotiates the content type as Apollo does, per Accept header", async () => {
    const accept = "application/graphql-response+json, application/json;q=0.9";
    const headers = { "content-type": "application/json", accept };
    const { apollo, ready } = await warmed(server, { query: DASHBOARD, variables: { n: 1 } }, headers);
    expect(apollo.headers["content-type"]).toBe("application/graphql-response+json; charset=utf-8");
    expect(ready).toEqual(apollo);
    // An Accept header that admits no JSON is refused, by Apollo, however ready the query is.
    const refused = await post(server, { query: DASHBOARD, variables: { n: 1 } }, { ...headers, accept: "text/html" });
    expect(refused.status).toBe(406);
  });

  it("a ready query over the cost limit with other variables is refused", async () => {
    await warmed(server, { query: DASHBOARD, variables: { n: 1 } });
    const answered = server.app.readyQueryAnswers();
    const tooBig = await post(server, { query: DASHBOARD, variables: { n: 50 } });
    expect(tooBig.status).toBe(400);
    expect(JSON.parse(tooBig.text).errors[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "maxCost" });
    expect(server.app.readyQueryAnswers()).toBe(answered);
  });

  it("variables of the wrong type get graphql-js's own error, and errors in data come from Apollo", async () => {
    await warmed(server, { query: DASHBOARD, variables: { n: 1 } });
    const answered = server.app.readyQueryAnswers();
    const badVariable = await post(server, { query: DASHBOARD, variables: { n: 1, status: ["NOPE"] } });
    expect(badVariable.status).toBe(400);
    expect(JSON.parse(badVariable.text).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    // A page size out of range fails in a resolver: the answer carries the error and its path.
    const outOfRange = await post(server, { query: DASHBOARD, variables: { n: -1 } });
    const body = JSON.parse(outOfRange.text);
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(body.errors[0].path).toEqual(["missions"]);
    expect(server.app.readyQueryAnswers()).toBe(answered);
  });

  it("a content type a browser form can send is refused by Apollo's CSRF check", async () => {
    await warmed(server, { query: DASHBOARD, variables: { n: 1 } });
    const reply = await post(server, { query: DASHBOARD, variables: { n: 1 } }, { "content-type": "text/plain" });
    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(/CSRF/i);
  });

  it("bodies other than one plain operation go to Apollo", async () => {
    await warmed(server, { query: DASHBOARD, variables: { n: 1 } });
    const answered = server.app.readyQueryAnswers();
    const withExtensions = await post(server, {
      query: DASHBOARD,
      variables: { n: 1 },
      extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
    });
    expect(withExtensions.status).toBe(400);
    const wrongName = await post(server, { query: DASHBOARD, variables: { n: 1 }, operationName: "Other" });
    expect(JSON.parse(wrongName.text).errors[0].message).toMatch(/Unknown operation named "Other"/);
    expect(server.app.readyQueryAnswers()).toBe(answered);
  });

  it("a mutation sent again is answered there, as Apollo answers it, and what it writes is read at once", async () => {
    const mutation = `mutation Done($id: ID!) { handleJobEvent(id: $id, event: SUCCESSFULLY_DONE) { id status } }`;
    const answered = server.app.readyQueryAnswers();
    const replies: Reply[] = [];
    for (const id of ["ready-m0-j0", "ready-m0-j1", "ready-m0-j2"])
      replies.push(await post(server, { query: mutation, variables: { id } }));
    // The first two go through Apollo (one interpreted run, then one that marks the text ready).
    expect(server.app.readyQueryAnswers()).toBe(answered + 1);
    replies.forEach((reply, i) => {
      expect(reply.status).toBe(200);
      expect(reply.headers).toEqual(replies[0]!.headers);
      expect(reply.text).toBe(
        `${JSON.stringify({ data: { handleJobEvent: { id: `ready-m0-j${i}`, status: "COMPLETED" } } })}\n`,
      );
    });
    const read = `query($id: ID!) { job(id: $id) { status version } }`;
    const { ready } = await warmed(server, { query: read, variables: { id: "ready-m0-j2" } });
    expect(JSON.parse(ready.text).data.job).toEqual({ status: "COMPLETED", version: 2 });
  });

  it("a ready mutation that fails runs once: Apollo answers from its result, with what it wrote", async () => {
    const both = `mutation Both($mission: ID!, $job: ID!) {
      created: createMission(input: { id: $mission, name: "m" }) { id }
      started: handleJobEvent(id: $job, event: START_WORK) { id status }
    }`;
    for (let i = 0; i < 3; i++) {
      await server.request(`mutation { createJob(input: { id: "both-j${i}", name: "j", agentName: "a" }) { id } }`);
      const reply = await post(server, { query: both, variables: { mission: `both-m${i}`, job: `both-j${i}` } });
      expect(JSON.parse(reply.text).errors).toBeUndefined();
    }
    const answered = server.app.readyQueryAnswers();
    // The job is running already: the second field fails after the first committed.
    const failed = await post(server, { query: both, variables: { mission: "both-m3", job: "both-j0" } });
    const body = JSON.parse(failed.text);
    expect(body.data).toBeNull();
    expect(
      body.errors.map((e: { path: string[]; extensions: { code: string } }) => [e.path, e.extensions.code]),
    ).toEqual([[["started"], "INVALID_TRANSITION"]]);
    // Run twice, the mission's create would have failed the second time ("already exists").
    expect(body.extensions).toEqual({ written: ["created"] });
    expect(server.app.readyQueryAnswers()).toBe(answered);
    const mission = await server.request<{ mission: { id: string; version: number } | null }>(
      `{ mission(id: "both-m3") { id version } }`,
    );
    expect(mission.data?.mission).toEqual({ id: "both-m3", version: 0 });
  });
});

describe("with REQUIRE_AUTH_FOR_QUERIES", () => {
  const KEY = "ready-key-5e1f0a9c7b3d";
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ API_KEYS: KEY, REQUIRE_AUTH_FOR_QUERIES: "true" });
  });
  afterAll(() => server.stop());

  it("a ready query without the key is still refused", async () => {
    const headers = { "content-type": "application/json", authorization: `Bearer ${KEY}` };
    const { ready } = await warmed(server, { query: DASHBOARD, variables: { n: 1 } }, headers);
    expect(ready.status).toBe(200);
    const answered = server.app.readyQueryAnswers();
    const without = await post(server, { query: DASHBOARD, variables: { n: 1 } });
    expect(without.status).toBe(401);
    const wrong = await post(
      server,
      { query: DASHBOARD, variables: { n: 1 } },
      { ...headers, authorization: "Bearer nope" },
    );
    expect(wrong.status).toBe(401);
    expect(server.app.readyQueryAnswers()).toBe(answered);
  });
});

describe("with API_KEYS guarding mutations only", () => {
  const KEY = "ready-key-8a2c4e6f1b3d";
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ API_KEYS: KEY });
  });
  afterAll(() => server.stop());

  it("a ready mutation without the key is refused and writes nothing", async () => {
    const headers = { "content-type": "application/json", authorization: `Bearer ${KEY}` };
    const create = `mutation New($id: ID!) { createMission(input: { id: $id, name: "m" }) { id } }`;
    for (let i = 0; i < 3; i++) {
      const reply = await post(server, { query: create, variables: { id: `keyed-${i}` } }, headers);
      expect(reply.status).toBe(200);
    }
    const answered = server.app.readyQueryAnswers();
    expect(answered).toBeGreaterThan(0);
    const without = await post(server, { query: create, variables: { id: "keyed-without" } });
    const wrong = await post(
      server,
      { query: create, variables: { id: "keyed-wrong" } },
      { ...headers, authorization: "Bearer nope" },
    );
    expect([without.status, wrong.status]).toEqual([401, 401]);
    expect(server.app.readyQueryAnswers()).toBe(answered);
    const found = await server.request<{ missions: { totalCount: number } }>(
      `{ missions(ids: ["keyed-without", "keyed-wrong"], first: 2) { totalCount } }`,
    );
    expect(found.data?.missions.totalCount).toBe(0);
  });
});

describe("the running service", () => {
  let database: EngineDatabase;
  beforeAll(async () => {
    database = await createEngineDatabase("casebook-ready-");
  });
  afterAll(() => database.drop());

  it("logs every answer as Apollo logs its own, with the caller's request id", async () => {
    const server = await startServerProcess(database.url, { LOG_LEVEL: "info" });
    try {
      for (let i = 0; i < 4; i++) {
        const response = await fetch(server.url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-request-id": `ready-${i}` },
          body: JSON.stringify({ query: DASHBOARD, operationName: "Dashboard", variables: { n: 1 } }),
        });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
    } finally {
      await server.stop();
    }
    const lines = server.logs.filter((l) => l.msg === "graphql request");
    expect(lines.map((l) => l.requestId)).toEqual(["ready-0", "ready-1", "ready-2", "ready-3"]);
    for (const line of lines)
      expect(line).toMatchObject({
        operationName: "Dashboard",
        operationType: "query",
        durationMs: expect.any(Number),
      });
  });
});
