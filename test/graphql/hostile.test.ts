// Replays test/fixtures/hostile-requests.json against a live server in production mode: each
// request gets a clear 4xx or a GraphQL error with a stable code, the server stays healthy after
// every one, and no row of the database changes.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/http.js";
import { snapshotRows } from "../support/rows.js";

type Pieces = string | (string | [string, number])[];

interface HostileCase {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, Pieces>;
  body?: Pieces | { base64: string };
  expect: {
    status?: number;
    code?: string;
    field?: string;
    limit?: string;
    message?: string;
    noSuggestions?: boolean;
    data?: unknown;
  };
}

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/hostile-requests.json");
const { cases } = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as { cases: HostileCase[] };

function expand(pieces: Pieces): string {
  if (typeof pieces === "string") return pieces;
  return pieces.map((p) => (typeof p === "string" ? p : p[0].repeat(p[1]))).join("");
}

function bodyOf(c: HostileCase): Buffer | undefined {
  if (c.body === undefined) return undefined;
  if (typeof c.body === "object" && !Array.isArray(c.body)) return Buffer.from(c.body.base64, "base64");
  return Buffer.from(expand(c.body), "utf8");
}

interface Reply {
  status: number;
  text: string;
}

/** Sends the request byte for byte as the fixture says (fetch would add and fix headers). */
function send(origin: string, c: HostileCase): Promise<Reply> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.headers ?? { "content-type": "application/json" }))
    headers[name] = expand(value);
  const body = bodyOf(c);
  const chunked = headers["transfer-encoding"] === "chunked";
  if (body && !chunked) headers["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(new URL(c.path, origin), { method: c.method, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    // A server may answer (413, 431) and close before the whole body is sent; the answer counts.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (body && chunked) {
      for (let at = 0; at < body.length; at += 65_536) req.write(body.subarray(at, at + 65_536));
      req.end();
    } else {
      req.end(body);
    }
  });
}

describe(`${cases.length} hostile requests`, () => {
  let server: TestServer;
  let before: Awaited<ReturnType<typeof snapshotRows>>;

  beforeAll(async () => {
    server = await startTestServer({ APP_ENV: "production", LOG_LEVEL: "silent" });
    const { services } = server.app;
    await services.missions.create({ id: "mission-1", name: "mission" });
    await services.jobs.create({ id: "job-1", name: "job", agentName: "agent", missionId: "mission-1" });
    await services.cases.start({ id: "case-1", jobId: "job-1", name: "case" });
    await services.cases.start({ id: "case-done", jobId: "job-1", name: "finished case" });
    await services.cases.handleEvent("case-done", "SUCCESSFULLY_DONE");
    await services.missions.create({ id: "mission-done", name: "finished mission" });
    await services.jobs.create({
      id: "job-late",
      name: "never started",
      agentName: "agent",
      missionId: "mission-done",
    });
    await services.missions.handleEvent("mission-done", "START_WORK");
    await services.missions.handleEvent("mission-done", "SUCCESSFULLY_DONE");
    before = await snapshotRows(server.app.db);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("covers at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size, "case names are unique").toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const reply = await send(server.origin, c);
    expect(reply.status, reply.text.slice(0, 300)).toBeLessThan(500);
    if (c.expect.status !== undefined) expect(reply.status, reply.text.slice(0, 300)).toBe(c.expect.status);

    const json = c.expect.code !== undefined || c.expect.data !== undefined;
    if (json) {
      const body = JSON.parse(reply.text) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
      const errors = body.errors ?? [];
      for (const error of errors) {
        expect(typeof error.extensions?.code, `every error has a code: ${error.message}`).toBe("string");
        expect(error.extensions?.code).not.toBe("INTERNAL_SERVER_ERROR");
        if (c.expect.noSuggestions) expect(error.message).not.toMatch(/Did you mean/);
      }
      if (c.expect.code !== undefined) {
        const error = errors.find((e) => e.extensions?.code === c.expect.code);
        expect(error, `an error with code ${c.expect.code} in ${reply.text.slice(0, 300)}`).toBeDefined();
        if (c.expect.field !== undefined) expect(error!.extensions?.field).toBe(c.expect.field);
        if (c.expect.limit !== undefined) expect(error!.extensions?.limit).toBe(c.expect.limit);
        if (c.expect.message !== undefined) expect(error!.message).toBe(c.expect.message);
      } else {
        expect(errors).toEqual([]);
      }
      if (c.expect.data !== undefined) expect(body.data).toEqual(c.expect.data);
    }

    const health = await fetch(`${server.origin}/health`);
    expect(health.status, "the server stays up").toBe(200);
    await health.arrayBuffer();
    expect(await snapshotRows(server.app.db), "no row changed").toEqual(before);
  });
});
