// The change feed over GraphQL, on both engines: what each write appends, pages and filters, and
// the live subscription through a real graphql-ws client (replay then live, resume after a
// reconnect, API keys, expired cursors).
import { type Client, createClient } from "graphql-ws";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { dataOf, errorOf, startTestServer, type TestServer } from "../support/http.js";
import { openRawSubscription } from "../support/raw-subscription.js";

interface ChangeNode {
  cursor: string;
  entityType: string;
  entityId: string;
  kind: string;
  status: string | null;
  version: number | null;
  event: string | null;
  missionId: string | null;
  jobId: string | null;
  entity: { id: string; status: string } | null;
}

const FIELDS = "cursor entityType entityId kind status version event missionId jobId entity { id status }";
const CHANGES = `query ($after: String, $first: Int, $filter: ChangeFilter) {
  changes(after: $after, first: $first, filter: $filter) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;

let server: TestServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  await server?.stop();
});

async function changes(variables: Record<string, unknown> = {}): Promise<ChangeNode[]> {
  const data = dataOf(await server.request<{ changes: { edges: { node: ChangeNode }[] } }>(CHANGES, variables));
  return data.changes.edges.map((e) => e.node);
}

const brief = (c: ChangeNode) => `${c.entityType} ${c.entityId} ${c.kind}${c.event ? ` ${c.event}` : ""}`;

async function mutate(query: string): Promise<void> {
  dataOf(await server.request(query));
}

function wsClient(params?: Record<string, unknown>): Client {
  const client = createClient({
    url: server.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: params,
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  return client;
}

/** Collects a subscription's events until `count` have arrived. */
function collect(client: Client, variables: Record<string, unknown>, count: number) {
  const received: ChangeNode[] = [];
  let done!: () => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    done = resolve;
    fail = reject;
  });
  const unsubscribe = client.subscribe<{ changes: ChangeNode }>(
    {
      query: `subscription ($after: String, $filter: ChangeFilter) { changes(after: $after, filter: $filter) { ${FIELDS} } }`,
      variables,
    },
    {
      next: (result) => {
        if (result.errors) return fail(result.errors);
        received.push(result.data!.changes);
        if (received.length >= count) done();
      },
      error: fail,
      complete: () => done(),
    },
  );
  return { received, finished, unsubscribe };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const latest = async () =>
  dataOf(await server.request<{ latestChangeCursor: string }>("{ latestChangeCursor }")).latestChangeCursor;

describe("the change feed", () => {
  it("records every write once, oldest first, with parents' ids, and the cascade and delete of each descendant", async () => {
    server = await startTestServer();
    await mutate(`mutation { createMission(input: { id: "m1", name: "m" }) { id } }`);
    await mutate(`mutation { createJob(input: { id: "j1", name: "j", agentName: "a", missionId: "m1" }) { id } }`);
    await mutate(`mutation { startCase(input: { id: "c1", name: "c", jobId: "j1", actor: "ann" }) { id } }`);
    await mutate(`mutation { addCaseUpdate(caseId: "c1", update: { name: "s", cost: 1 }) { id } }`);
    await mutate(`mutation { updateJob(id: "j1", input: { name: "renamed" }) { id } }`);
    await mutate(`mutation { handleMissionEvent(id: "m1", event: START_WORK) { id } }`);
    await mutate(`mutation { handleJobEvent(id: "j1", event: START_WORK) { id } }`);
    await mutate(`mutation { handleMissionEvent(id: "m1", event: CANCEL_REQUESTED) { id } }`);
    await mutate(`mutation { deleteMission(id: "m1", force: true) }`);

    const all = await changes();
    expect(all.map(brief)).toEqual([
      "MISSION m1 CREATED",
      "JOB j1 CREATED",
      "CASE c1 CREATED",
      "CASE c1 TRANSITIONED START_WORK",
      "CASE c1 STEP_ADDED",
      "JOB j1 UPDATED",
      "MISSION m1 TRANSITIONED START_WORK",
      "JOB j1 TRANSITIONED START_WORK",
      "MISSION m1 TRANSITIONED CANCEL_REQUESTED",
      "JOB j1 TRANSITIONED CANCEL_REQUESTED",
      "CASE c1 TRANSITIONED CANCEL_REQUESTED",
      "MISSION m1 DELETED",
      "JOB j1 DELETED",
      "CASE c1 DELETED",
    ]);
    const caseStep = all[4]!;
    expect(caseStep).toMatchObject({ missionId: "m1", jobId: "j1", status: "IN_PROGRESS", version: 2 });
    expect(all.at(-1)).toMatchObject({ status: null, version: null, entity: null });

    // Filters: a job's own changes and its cases', only transitions.
    const jobTransitions = await changes({ filter: { jobId: "j1", kinds: ["TRANSITIONED"] } });
    expect(jobTransitions.map(brief)).toEqual([
      "CASE c1 TRANSITIONED START_WORK",
      "JOB j1 TRANSITIONED START_WORK",
      "JOB j1 TRANSITIONED CANCEL_REQUESTED",
      "CASE c1 TRANSITIONED CANCEL_REQUESTED",
    ]);
    // Pages resume after their end cursor.
    const firstTwo = await changes({ first: 2 });
    const rest = await changes({ after: firstTwo[1]!.cursor });
    expect([...firstTwo, ...rest].map(brief)).toEqual(all.map(brief));
  });

  it("pages newest first and backward, with cursors of their own order", async () => {
    server = await startTestServer();
    for (let i = 0; i < 5; i++) await mutate(`mutation { createMission(input: { id: "m${i}", name: "m" }) { id } }`);
    const PAGE = `query ($after: String, $before: String, $first: Int, $last: Int, $orderBy: ChangeOrder) {
      changes(after: $after, before: $before, first: $first, last: $last, orderBy: $orderBy) {
        edges { cursor node { entityId } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }`;
    type Page = {
      changes: {
        edges: { cursor: string; node: { entityId: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string };
      };
    };
    const page = async (variables: Record<string, unknown>) =>
      dataOf(await server.request<Page>(PAGE, variables)).changes;
    const ids = (p: Page["changes"]) => p.edges.map((e) => e.node.entityId);
    const DESC = { direction: "DESC" };

    const newest = await page({ orderBy: DESC, first: 2 });
    expect(ids(newest)).toEqual(["m4", "m3"]);
    expect(newest.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const older = await page({ orderBy: DESC, first: 2, after: newest.pageInfo.endCursor });
    expect(ids(older)).toEqual(["m2", "m1"]);
    expect(older.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const oldest = await page({ orderBy: DESC, after: older.pageInfo.endCursor });
    expect(ids(oldest)).toEqual(["m0"]);
    expect(oldest.pageInfo.hasNextPage).toBe(false);
    // Backward from the oldest page's start, newest first: the two before it in that order.
    const back = await page({ orderBy: DESC, last: 2, before: oldest.pageInfo.startCursor });
    expect(ids(back)).toEqual(["m2", "m1"]);
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    // Oldest first, the last two, then the two before them.
    const lastTwo = await page({ last: 2 });
    expect(ids(lastTwo)).toEqual(["m3", "m4"]);
    expect(lastTwo.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const beforeThem = await page({ last: 2, before: lastTwo.pageInfo.startCursor });
    expect(ids(beforeThem)).toEqual(["m1", "m2"]);

    // A cursor of one order is refused by the other, naming the argument; so are first with last.
    const crossed = await server.request(PAGE, { orderBy: DESC, after: lastTwo.pageInfo.endCursor });
    expect(errorOf(crossed).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    const crossedBack = await server.request(PAGE, { before: newest.pageInfo.endCursor, last: 1 });
    expect(errorOf(crossedBack).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "before" });
    const both = await server.request(PAGE, { first: 1, last: 1 });
    expect(errorOf(both).extensions?.code).toBe("BAD_USER_INPUT");
    // A newest-first cursor is no place to subscribe from: the subscription speaks oldest first.
    const sub = collect(wsClient(), { after: newest.pageInfo.startCursor }, 1);
    await expect(sub.finished).rejects.toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }),
    ]);
  });

  it("writes no change for a mutation that fails", async () => {
    server = await startTestServer();
    await mutate(`mutation { createMission(input: { id: "m1", name: "m" }) { id } }`);
    const before = await changes();
    const refused = await server.request(`mutation { handleMissionEvent(id: "m1", event: SUCCESSFULLY_DONE) { id } }`);
    expect(errorOf(refused).extensions?.code).toBe("INVALID_TRANSITION");
    const taken = await server.request(`mutation { createMission(input: { id: "m1", name: "again" }) { id } }`);
    expect(errorOf(taken).extensions?.code).toBe("ALREADY_EXISTS");
    const badParent = await server.request(
      `mutation { startCase(input: { id: "c9", name: "c", jobId: "nothing" }) { id } }`,
    );
    expect(errorOf(badParent).extensions?.code).toBe("BAD_USER_INPUT");
    expect(await changes()).toEqual(before);
    // The same document, run again (compiled by then), still reads the entity.
    expect((await changes())[0]!.entity).toEqual({ id: "m1", status: "STOPPED" });
  });

  it("replays from a cursor, then goes live, with no gap and no repeat; entity is read as it is now", async () => {
    server = await startTestServer();
    await mutate(`mutation { createMission(input: { id: "m1", name: "m" }) { id } }`);
    const after = await latest();
    await mutate(`mutation { createMission(input: { id: "m2", name: "m" }) { id } }`);
    await mutate(`mutation { createMission(input: { id: "m3", name: "m" }) { id } }`);

    const sub = collect(wsClient(), { after }, 4);
    // Live writes while the replay may still run.
    await mutate(`mutation { createMission(input: { id: "m4", name: "m" }) { id } }`);
    await mutate(`mutation { handleMissionEvent(id: "m4", event: START_WORK) { id } }`);
    await sub.finished;
    expect(sub.received.map(brief)).toEqual([
      "MISSION m2 CREATED",
      "MISSION m3 CREATED",
      "MISSION m4 CREATED",
      "MISSION m4 TRANSITIONED START_WORK",
    ]);
    expect(sub.received[0]!.entity).toEqual({ id: "m2", status: "STOPPED" });
    const pages = await changes({ after });
    expect(sub.received.map((c) => c.cursor)).toEqual(pages.map((c) => c.cursor));
  });

  it("hands the first subscriber from a cursor what committed before it subscribed, with no write after", async () => {
    server = await startTestServer();
    const after = await latest();
    await mutate(`mutation { createMission(input: { id: "before-1", name: "m" }) { id } }`);
    await mutate(`mutation { createMission(input: { id: "before-2", name: "m" }) { id } }`);
    const sub = collect(wsClient(), { after }, 2);
    await sub.finished;
    expect(sub.received.map(brief)).toEqual(["MISSION before-1 CREATED", "MISSION before-2 CREATED"]);
  });

  it("starts 200 subscriptions sent together with a handful of statements, not one or two each", async () => {
    server = await startTestServer({
      DEADLINE_SWEEP_INTERVAL_MS: "3600000",
      WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: "200",
    });
    const before = server.app.db.statementsExecuted;
    // One socket: the 200 subscribe messages arrive together, as from many clients at once.
    const client = wsClient();
    const subscribers = Array.from({ length: 200 }, (_, i) => collect(client, i % 2 === 0 ? {} : { after: null }, 1));
    await until(() => server.app.liveSubscribers() >= 200);
    const statements = server.app.db.statementsExecuted - before;
    // The feed's end read once for the subscriptions that ask together (and once more for those
    // that asked while it ran), and no replay for a subscription starting at the reader's position.
    expect(statements).toBeLessThanOrEqual(10);
    await mutate(`mutation { createMission(input: { id: "after-start", name: "m" }) { id } }`);
    await Promise.all(subscribers.map((s) => s.finished));
    for (const s of subscribers) expect(s.received.map(brief)).toEqual(["MISSION after-start CREATED"]);
  });

  it("executes a change once for all subscribers of one document, whatever cursor or filter each gave", async () => {
    server = await startTestServer();
    const start = await latest();
    // What one write costs in statements with no one listening.
    let statements = server.app.db.statementsExecuted;
    await server.app.services.missions.create({ id: "alone", name: "m" });
    const writeAlone = server.app.db.statementsExecuted - statements;

    const subscribers = Array.from({ length: 20 }, (_, i) =>
      collect(wsClient(), { after: start, filter: i % 2 === 0 ? { entityTypes: ["MISSION"] } : undefined }, 3),
    );
    // Every subscription is live once each has had the change written after it subscribed.
    const live = Promise.all(subscribers.map((s) => until(() => s.received.length >= 2)));
    await server.app.services.missions.create({ id: "warm", name: "m" });
    await live;
    statements = server.app.db.statementsExecuted;
    await server.app.services.missions.create({ id: "shared", name: "m" });
    await Promise.all(subscribers.map((s) => s.finished));
    const forSubscribers = server.app.db.statementsExecuted - statements - writeAlone;
    for (const s of subscribers)
      expect(s.received.at(-1)).toMatchObject({ entityId: "shared", entity: { id: "shared" } });
    // One read of the feed and one of the entity for all 20 (one execution), not one per subscriber.
    expect(forSubscribers).toBeLessThanOrEqual(3);
  });

  it("loses nothing when a subscriber reconnects with its last cursor while writes go on", async () => {
    server = await startTestServer();
    const start = await latest();
    const first = collect(wsClient(), { after: start }, 3);
    for (let i = 0; i < 3; i++) await mutate(`mutation { createMission(input: { id: "a${i}", name: "m" }) { id } }`);
    await first.finished;
    first.unsubscribe();
    // Written while no one listens.
    for (let i = 0; i < 3; i++) await mutate(`mutation { createMission(input: { id: "b${i}", name: "m" }) { id } }`);
    const second = collect(wsClient(), { after: first.received.at(-1)!.cursor }, 5);
    for (let i = 0; i < 2; i++) await mutate(`mutation { createMission(input: { id: "c${i}", name: "m" }) { id } }`);
    await second.finished;
    expect([...first.received, ...second.received].map((c) => c.entityId)).toEqual([
      "a0",
      "a1",
      "a2",
      "b0",
      "b1",
      "b2",
      "c0",
      "c1",
    ]);
  });

  it("asks for the API key in connection_init when keys guard reads", async () => {
    server = await startTestServer({ API_KEYS: "secret", REQUIRE_AUTH_FOR_QUERIES: "true" });
    const refused = collect(wsClient(), {}, 1);
    await expect(refused.finished).rejects.toMatchObject({ code: 4403 });
    const allowed = collect(wsClient({ authorization: "Bearer secret" }), {}, 1);
    await mutate(`mutation { createMission(input: { id: "m1", name: "m" }) { id } }`).catch(() => {});
    const headers = { authorization: "Bearer secret" };
    dataOf(await server.request(`mutation { createMission(input: { id: "m2", name: "m" }) { id } }`, {}, headers));
    await allowed.finished;
    expect(allowed.received.map((c) => c.entityId)).toEqual(["m2"]);
  });

  it("answers CURSOR_EXPIRED for a cursor older than the feed keeps, naming the oldest cursor", async () => {
    server = await startTestServer();
    await mutate(`mutation { createMission(input: { id: "m1", name: "m" }) { id } }`);
    const old = await latest();
    await mutate(`mutation { createMission(input: { id: "m2", name: "m" }) { id } }`);
    // Everything written so far is older than a retention of "now minus nothing".
    await server.app.services.changes.prune(new Date(Date.now() + 3_600_000), 0);
    const expired = await server.request(CHANGES, { after: old });
    expect(errorOf(expired).extensions).toMatchObject({ code: "CURSOR_EXPIRED", oldestCursor: await latest() });
    // The end of the feed is still a valid place to resume from.
    expect(await changes({ after: await latest() })).toEqual([]);
    const sub = collect(wsClient(), { after: old }, 1);
    await expect(sub.finished).rejects.toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "CURSOR_EXPIRED" }) }),
    ]);
  });
});

describe("the change feed's limits over WebSocket", () => {
  it("applies the query limits and the subscriptions-per-connection limit to subscription documents", async () => {
    server = await startTestServer({ WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: "1", GRAPHQL_MAX_ALIASES: "2" });
    const client = wsClient();
    const aliased = collect(client, {}, 1);
    void aliased;
    const tooMany = new Promise((resolve) => {
      client.subscribe(
        { query: "subscription { changes { a: cursor b: cursor c: cursor } }" },
        { next: () => {}, error: resolve, complete: () => resolve(undefined) },
      );
    });
    expect(await tooMany).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "QUERY_TOO_COMPLEX" }) }),
    ]);
    const second = new Promise((resolve) => {
      client.subscribe(
        { query: "subscription { changes { cursor } }" },
        { next: () => {}, error: resolve, complete: () => resolve(undefined) },
      );
    });
    expect(await second).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ limit: "wsMaxSubscriptionsPerConnection" }) }),
    ]);
  });

  it("closes a subscriber that does not read with 1013, and it resumes from its cursor", async () => {
    server = await startTestServer({ WS_MAX_BUFFERED_BYTES: "1024" });
    const after = await latest();
    const { socket, closed, pauseReading, resumeReading } = await openRawSubscription(
      server.url.replace(/^http/, "ws"),
      "subscription ($after: String) { changes(after: $after) { cursor entity { metadata } } }",
      { after },
    );
    // The subscription is live once a first change arrives.
    const live = new Promise((resolve) => socket.once("message", resolve));
    await server.app.services.missions.create({ id: "big-first", name: "big" });
    await live;
    // The client stops reading; each change it is sent carries 100 kB of metadata. Each write
    // yields to the event loop, as writes arriving over HTTP do: SQLite's writes are synchronous,
    // and a loop of them alone would keep the server from sending anything until it ended.
    pauseReading();
    const metadata = { blob: "x".repeat(100_000) };
    for (let i = 0; i < 300; i++) {
      await server.app.services.missions.create({ id: `big-${i}`, name: "big", metadata });
      await new Promise((resolve) => setImmediate(resolve));
    }
    resumeReading();
    // 1013 when the close frame, queued behind everything unread, still gets through; 1006 when
    // the server had to drop the connection first. Either way the server ended it.
    const code = await Promise.race([closed, new Promise((r) => setTimeout(r, 45_000, "not closed"))]);
    expect([1013, 1006]).toContain(code);
    // Resuming from the start cursor loses nothing.
    const again = collect(wsClient(), { after }, 301);
    await again.finished;
    expect(again.received.map((c) => c.entityId)).toEqual([
      "big-first",
      ...Array.from({ length: 300 }, (_, i) => `big-${i}`),
    ]);
  });
});
