// The live change feed across real processes on one database: a write through one server
// process reaches a subscriber of another (PostgreSQL notifies; SQLite is polled), and SIGTERM
// closes subscribers' sockets with 1001 before the process exits 0.
import { createClient } from "graphql-ws";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { freeLoopbackPort } from "../../src/server/network.js";
import { dataOf, startTestServer, type TestServer } from "../support/http.js";
import { type Child, startChild } from "../support/service-process.js";

let server: TestServer | undefined;
const children: Child[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await server?.stop();
  server = undefined;
});

/** Another casebook process on the test server's database. */
async function secondProcess(): Promise<{ child: Child; url: string }> {
  const target = server!.app.config.database;
  const port = String(await freeLoopbackPort());
  const child = startChild(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    APP_ENV: "test",
    LOG_LEVEL: "info",
    HOST: "127.0.0.1",
    PORT: port,
    DATABASE_URL: target.engine === "sqlite" ? `file:${target.path}` : target.url,
    CHANGE_POLL_INTERVAL_MS: "50",
  });
  children.push(child);
  const line = await child.waitForLog((l) => String(l.msg).startsWith("casebook listening"), 60_000);
  return { child, url: line.url as string };
}

async function post(url: string, query: string): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

function subscribe(url: string, after: string | null, count: number) {
  const ids: string[] = [];
  let closeCode: number | undefined;
  const client = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    on: { closed: (event) => (closeCode = (event as { code: number }).code) },
  });
  const finished = new Promise<void>((resolve, reject) => {
    client.subscribe<{ changes: { entityId: string } }>(
      { query: "subscription ($after: String) { changes(after: $after) { entityId } }", variables: { after } },
      {
        next: (result) => {
          if (result.errors) reject(result.errors);
          ids.push(result.data!.changes.entityId);
          if (ids.length === count) resolve();
        },
        error: reject,
        complete: () => resolve(),
      },
    );
  });
  return { ids, finished, client, closeCode: () => closeCode };
}

describe("the live change feed across processes", () => {
  it("delivers a write made through another process to this process's subscriber", async () => {
    server = await startTestServer();
    const other = await secondProcess();
    const { latestChangeCursor } = dataOf(
      await server.request<{ latestChangeCursor: string }>("{ latestChangeCursor }"),
    );
    const sub = subscribe(server.url, latestChangeCursor, 2);
    await post(other.url, `mutation { createMission(input: { id: "from-other", name: "m" }) { id } }`);
    await post(other.url, `mutation { handleMissionEvent(id: "from-other", event: START_WORK) { id } }`);
    await sub.finished;
    expect(sub.ids).toEqual(["from-other", "from-other"]);
    await sub.client.dispose();
  });

  it("closes subscribers with 1001 on SIGTERM and exits 0", async () => {
    server = await startTestServer();
    const other = await secondProcess();
    const { data } = (await post(other.url, "{ latestChangeCursor }")) as { data: { latestChangeCursor: string } };
    const sub = subscribe(other.url, data.latestChangeCursor, 1);
    await post(other.url, `mutation { createMission(input: { id: "before-stop", name: "m" }) { id } }`);
    await sub.finished;
    other.child.signal("SIGTERM");
    const { code } = await other.child.exited;
    expect(code).toBe(0);
    expect(sub.closeCode()).toBe(1001);
    await sub.client.dispose();
  });
});
