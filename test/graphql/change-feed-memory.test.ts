// The live feed's memory, on both engines: 1,000 idle subscribers and 10 that stop reading while
// changes of 100 kB each are written. Measured as the process's heap plus the buffers outside it
// (what a socket holds for a peer is a Buffer), after a full garbage collection; no timings.
import v8 from "node:v8";
import vm from "node:vm";
import { type Client, createClient } from "graphql-ws";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { dataOf, startTestServer, type TestServer } from "../support/http.js";
import { openRawSubscription } from "../support/raw-subscription.js";

const IDLE = 1000;
const NON_READING = 10;
const WRITES = 600;
const METADATA = { blob: "x".repeat(100_000) };

// The test process runs without --expose-gc: the flag can be set at run time, and a new context
// then has `gc`.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** Heap plus external memory after collecting everything unreachable, in bytes. */
async function retained(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

let server: TestServer;
const clients: Client[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await server?.stop();
});

async function idleSubscriber(url: string): Promise<void> {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
  clients.push(client);
  const connected = new Promise((resolve) => client.on("connected", resolve));
  // Follows cases; only missions are written.
  client.subscribe(
    { query: "subscription { changes(filter: { entityTypes: [CASE] }) { cursor } }" },
    { next: () => {}, error: () => {}, complete: () => {} },
  );
  await connected;
}

/** A subscriber that reads one change, then nothing more; resolves with its socket's close code. */
async function nonReadingSubscriber(
  url: string,
  after: string,
): Promise<{ closed: Promise<number>; resume: () => void }> {
  const subscription = await openRawSubscription(
    url,
    "subscription ($after: String) { changes(after: $after) { cursor entity { metadata } } }",
    { after },
  );
  sockets.push(subscription.socket);
  await new Promise((resolve) => subscription.socket.once("message", resolve));
  subscription.pauseReading();
  return { closed: subscription.closed, resume: subscription.resumeReading };
}

describe("the live feed's memory", () => {
  it("stays bounded with 1,000 idle subscribers and 10 that stop reading", async () => {
    server = await startTestServer({ WS_MAX_BUFFERED_BYTES: "65536" });
    const url = server.url.replace(/^http/, "ws");
    const before = await retained();
    for (let i = 0; i < IDLE; i++) await idleSubscriber(url);
    const withIdle = await retained();

    const after = dataOf(
      await server.request<{ latestChangeCursor: string }>("{ latestChangeCursor }"),
    ).latestChangeCursor;
    // One change each non-reading subscriber takes, so that its subscription is live before it stops.
    const live = Array.from({ length: NON_READING }, () => nonReadingSubscriber(url, after));
    await server.app.services.missions.create({ id: "first", name: "m" });
    const closes = await Promise.all(live);
    // Written as writes over HTTP would arrive: the event loop turns between them.
    for (let i = 0; i < WRITES; i++) {
      await server.app.services.missions.create({ id: `m${i}`, name: "m", metadata: METADATA });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const afterWrites = await retained();

    // Unbounded, the non-reading subscribers' sockets would hold every change: 10 × 600 × 100 kB,
    // 600 MB. Bounded, each was closed once its backlog passed 64 kB (after what the kernel
    // takes for a loopback socket, up to tens of MB, which is why each peer is sent 60 MB).
    const growth = afterWrites - withIdle;
    expect(growth).toBeLessThan(30 * 1024 * 1024);
    // Each non-reading subscriber was ended by the server (1013, or 1006 once dropped); it sees
    // that once it reads again (a paused socket does not notice its end).
    for (const { resume } of closes) resume();
    const codes = await Promise.all(closes.map(({ closed }) => Promise.race([closed, delay(30_000, -1)])));
    for (const code of codes) expect([1013, 1006]).toContain(code);
    // 1,000 idle subscribers (both ends, in this process) cost a bounded amount each.
    expect((withIdle - before) / IDLE).toBeLessThan(256 * 1024);
  });
});

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(resolve, ms, value).unref());
}
