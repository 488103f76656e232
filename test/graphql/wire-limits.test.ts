// Limits on the wire: a body over BODY_LIMIT_BYTES is refused with 413 and a JSON error, a
// request that never finishes (slow loris) is cut off after REQUEST_TIMEOUT_MS, and `first` is
// capped at 500 (501 is BAD_USER_INPUT, not silently cut).
import net from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app.js";
import { loadConfig } from "../../src/server/config.js";
import { createEngineDatabase } from "../support/engine.js";
import { startTestServer, type TestServer } from "../support/http.js";
import { snapshotRows } from "../support/rows.js";

const BODY_LIMIT = 4096;
const TIMEOUT_MS = 1000;

/** Writes raw bytes to the server and collects what comes back until the server closes. */
function rawExchange(
  server: Pick<TestServer, "origin">,
  parts: string[],
  giveUpMs: number,
): Promise<{ reply: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname);
    let reply = "";
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms; got ${JSON.stringify(reply)}`));
    }, giveUpMs);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (reply += chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(giveUp);
      resolve({ reply, closedAfterMs: Date.now() - started });
    });
    socket.on("connect", () => {
      for (const part of parts) socket.write(part);
    });
  });
}

async function health(server: TestServer): Promise<number> {
  const response = await fetch(`${server.origin}/health`);
  await response.arrayBuffer();
  return response.status;
}

describe("limits on the wire", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ BODY_LIMIT_BYTES: String(BODY_LIMIT), REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
    await server.app.services.jobs.create({ id: "job-1", name: "job", agentName: "agent" });
  });

  afterAll(async () => {
    await server?.stop();
  });

  describe("body size", () => {
    const body = (size: number) => {
      const head = `{"query":"mutation($n: String!) { createMission(input: { name: $n }) { id } }","variables":{"n":"`;
      const tail = `"}}`;
      return head + "x".repeat(size - head.length - tail.length) + tail;
    };

    it("accepts a body right at the limit (and validates what is in it)", async () => {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body(BODY_LIMIT),
      });
      const reply = (await response.json()) as { errors?: { extensions?: { code?: string; field?: string } }[] };
      // The name is longer than names may be: refused by the service, not by the size limit.
      expect(reply.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
    });

    it("refuses one byte more with 413 and a JSON error, declared or streamed", async () => {
      const before = await snapshotRows(server.app.db);
      const declared = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body(BODY_LIMIT + 1),
      });
      const bytes = new TextEncoder().encode(body(BODY_LIMIT + 1));
      const streamed = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new ReadableStream({
          start(controller) {
            for (let at = 0; at < bytes.length; at += 1000) controller.enqueue(bytes.subarray(at, at + 1000));
            controller.close();
          },
        }),
        duplex: "half",
      } as RequestInit);
      for (const response of [declared, streamed]) {
        expect(response.status).toBe(413);
        expect(response.headers.get("content-type")).toMatch(/application\/json/);
        expect(await response.json()).toEqual({
          errors: [
            { message: expect.stringContaining(`${BODY_LIMIT} bytes`), extensions: { code: "PAYLOAD_TOO_LARGE" } },
          ],
        });
      }
      expect(await snapshotRows(server.app.db)).toEqual(before);
      expect(await health(server)).toBe(200);
    });
  });

  describe("slow clients", () => {
    it("cuts off a body that never finishes", { timeout: 15_000 }, async () => {
      const head = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
      const { reply, closedAfterMs } = await rawExchange(server, [head, `{"query": "{ __typename`], TIMEOUT_MS * 6);
      expect(reply).toMatch(/^HTTP\/1\.1 408/);
      expect(closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(closedAfterMs).toBeLessThan(TIMEOUT_MS * 3);
      expect(await health(server)).toBe(200);
    });

    it("cuts off headers that never finish", { timeout: 15_000 }, async () => {
      const { reply, closedAfterMs } = await rawExchange(
        server,
        [`POST /graphql HTTP/1.1\r\nHost: localhost\r\nX-Slow: a`],
        TIMEOUT_MS * 6,
      );
      expect(reply).toMatch(/^(HTTP\/1\.1 408|)/);
      expect(closedAfterMs).toBeLessThan(TIMEOUT_MS * 3);
      expect(await health(server)).toBe(200);
    });

    it("serves other clients while one dribbles", { timeout: 15_000 }, async () => {
      const head = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n`;
      const slow = rawExchange(server, [head, "{"], TIMEOUT_MS * 6);
      const started = Date.now();
      expect(await health(server)).toBe(200);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS / 2);
      expect((await slow).reply).toMatch(/^HTTP\/1\.1 408/);
    });
  });

  describe("page sizes", () => {
    const first = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: any; errors?: { extensions?: Record<string, unknown> }[] };
    };

    it("allows 500", async () => {
      const reply = await first(`{ missions(first: 500) { totalCount } jobs(first: 500) { totalCount } }`);
      expect(reply.errors).toBeUndefined();
    });

    it.each([
      ["missions(first: 501)", `{ missions(first: 501) { totalCount } }`, {}],
      ["cases(first: 501) under a job", `{ job(id: "job-1") { cases(first: 501) { totalCount } } }`, {}],
      ["transitions(first: 501)", `{ job(id: "job-1") { transitions(first: 501) { totalCount } } }`, {}],
      ["first: -1 in a variable", `query($n: Int) { jobs(first: $n) { totalCount } }`, { n: -1 }],
      ["first: 501 in a variable", `query($n: Int) { cases(first: $n) { totalCount } }`, { n: 501 }],
    ])("refuses %s as BAD_USER_INPUT naming first", async (_name, query, variables) => {
      const reply = await first(query, variables);
      expect(reply.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    });
  });
});

describe("a client cut off or gone mid-body", () => {
  it("is answered 408 by Node and logged as no server error", { timeout: 15_000 }, async () => {
    const database = await createEngineDatabase("casebook-wire-");
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: "trace" },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const config = loadConfig({
      APP_ENV: "production",
      DATABASE_URL: database.url,
      PORT: "0",
      REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    const app = await createApp(config, logger);
    try {
      const origin = new URL(await app.listen()).origin;
      const head = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
      expect((await rawExchange({ origin }, [head, "{"], TIMEOUT_MS * 6)).reply).toMatch(/^HTTP\/1\.1 408/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
