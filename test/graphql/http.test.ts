// The HTTP surface: GET for queries only, Apollo's CSRF prevention, health, unknown routes,
// malformed bodies, and introspection by environment.
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateMissionDocument, LifecycleDocument, MissionDocument, SchemaRootDocument } from "../generated/graphql.js";
import { dataOf, errorOf, parseResponse, startTestServer, type TestServer } from "../support/http.js";
import { snapshotRows } from "../support/rows.js";

const CREATE = print(CreateMissionDocument);

describe("HTTP", () => {
  let server: TestServer;

  const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}?${new URLSearchParams(params)}`, { headers });

  const post = (body: string, contentType: string) =>
    fetch(server.url, { method: "POST", headers: { "content-type": contentType }, body });

  beforeAll(async () => {
    server = await startTestServer();
    dataOf(await server.request(CreateMissionDocument, { input: { id: "m1", name: "mission" } }));
  });

  afterAll(async () => {
    await server?.stop();
  });

  describe("GET /graphql", () => {
    it.each([
      ["apollo-require-preflight", { "apollo-require-preflight": "true" }],
      ["a JSON content type", { "content-type": "application/json" }],
    ])("runs a query when it carries %s", async (_name, headers) => {
      const response = await parseResponse<{ mission: { id: string; name: string } | null }>(
        await get({ query: print(MissionDocument), variables: JSON.stringify({ id: "m1" }) }, headers),
      );
      expect(response.status).toBe(200);
      expect(dataOf(response).mission).toMatchObject({ id: "m1", name: "mission" });
    });

    it("runs the lifecycle query", async () => {
      const response = await parseResponse<{ lifecycle: { mermaid: string } }>(
        await get({ query: print(LifecycleDocument) }, { "apollo-require-preflight": "true" }),
      );
      expect(dataOf(response).lifecycle.mermaid).toContain("stateDiagram-v2");
    });

    it("refuses a query without a CSRF-safe header", async () => {
      const response = await parseResponse(await get({ query: print(LifecycleDocument) }));
      expect(response.status).toBe(400);
      expect(errorOf(response).message).toMatch(/Cross-Site Request Forgery/);
    });

    it("refuses a mutation, and writes nothing", async () => {
      const before = await snapshotRows(server.app.db);
      const response = await parseResponse(
        await get(
          { query: CREATE, variables: JSON.stringify({ input: { name: "by GET" } }) },
          { "apollo-require-preflight": "true" },
        ),
      );
      expect(response.status).toBe(405);
      expect(errorOf(response).extensions?.code).toBe("BAD_REQUEST");
      expect(await snapshotRows(server.app.db)).toEqual(before);
    });
  });

  describe("POST /graphql", () => {
    it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
      "refuses a mutation sent as %s (CSRF prevention), and writes nothing",
      async (contentType) => {
        const before = await snapshotRows(server.app.db);
        const response = await parseResponse(
          await post(JSON.stringify({ query: CREATE, variables: { input: { name: "forged" } } }), contentType),
        );
        expect(response.status).toBe(400);
        expect(errorOf(response).message).toMatch(/Cross-Site Request Forgery/);
        expect(await snapshotRows(server.app.db)).toEqual(before);
      },
    );

    it("answers a malformed JSON body with 400 BAD_REQUEST", async () => {
      const response = await parseResponse(await post(`{"query": "{ lifecycle { mermaid } }"`, "application/json"));
      expect(response.status).toBe(400);
      expect(errorOf(response).extensions?.code).toBe("BAD_REQUEST");
    });

    it("answers a body without a query with 400 BAD_REQUEST", async () => {
      const response = await parseResponse(await post(JSON.stringify({ variables: {} }), "application/json"));
      expect(response.status).toBe(400);
      expect(errorOf(response).extensions?.code).toBe("BAD_REQUEST");
    });
  });

  describe("other routes", () => {
    it("GET /health is 200 {status: ok}", async () => {
      const response = await fetch(`${server.origin}/health`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ status: "ok" });
    });

    it("an unknown path is 404", async () => {
      const response = await fetch(`${server.origin}/graphq`);
      expect(response.status).toBe(404);
      expect(errorOf(await parseResponse(response)).extensions?.code).toBe("NOT_FOUND");
    });
  });
});

describe("introspection", () => {
  async function introspect(env: Record<string, string>) {
    const server = await startTestServer({ LOG_LEVEL: "silent", ...env });
    try {
      return await server.request(SchemaRootDocument);
    } finally {
      await server.stop();
    }
  }

  it("is refused when APP_ENV=production", async () => {
    const response = await introspect({ APP_ENV: "production" });
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(errorOf(response).message).toMatch(/introspection/i);
  });

  it("is allowed in production with GRAPHQL_INTROSPECTION=true", async () => {
    const response = await introspect({ APP_ENV: "production", GRAPHQL_INTROSPECTION: "true" });
    expect(dataOf(response).__schema.queryType.name).toBe("Query");
  });

  it("is allowed outside production", async () => {
    const response = await introspect({ APP_ENV: "test" });
    expect(dataOf(response).__schema.queryType.name).toBe("Query");
  });
});
