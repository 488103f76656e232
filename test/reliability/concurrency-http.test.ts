// Concurrency over HTTP: ten clients against one server, then against two server processes on
// one database file. Nothing may be lost (exact counts), and every conflict must come back as
// VERSION_CONFLICT or INVALID_TRANSITION: never INTERNAL_SERVER_ERROR, never SQLITE_BUSY.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/database.js";
import { codeOf, dataOf, type GqlResult, gql, MUTATIONS } from "../support/reliability/client.js";
import { checkInvariants } from "../support/reliability/invariants.js";
import { type ServerProcess, startServerProcess } from "../support/reliability/server-process.js";

const CLIENTS = 10;
const ROUNDS = 20; // × 5 operations = 100 operations per client
const SHARED_JOB_ATTEMPTS = 10; // per client, read-then-update with expectedVersion
const SHARED_CASES = 5;
const PING_PONGS = 8; // per client and shared case

/** Every answer the servers gave, by outcome: "ok" or the error code. */
class Tally {
  readonly outcomes = new Map<string, number>();
  readonly strange: string[] = [];
  operations = 0;

  record(result: GqlResult<unknown>, allowed: readonly string[] = []): string {
    this.operations++;
    const code = codeOf(result) ?? "ok";
    this.outcomes.set(code, (this.outcomes.get(code) ?? 0) + 1);
    const text = JSON.stringify(result);
    if ((code !== "ok" && !allowed.includes(code)) || /SQLITE|BUSY|locked/i.test(text))
      this.strange.push(text.slice(0, 500));
    return code;
  }

  count(code: string): number {
    return this.outcomes.get(code) ?? 0;
  }
}

/** Jobs record their edits in metadata.edits; the shared job is edited by many, so it counts them all. */
function edits(type: string, row: Record<string, any>, db: Database.Database): number {
  if (type === "Job") return Number((JSON.parse(row.metadata) as { edits?: number }).edits ?? 0);
  if (type === "Case")
    return (db.prepare(`SELECT count(*) AS n FROM "CaseUpdate" WHERE "caseId" = ?`).get(row.id) as { n: number }).n;
  return 0;
}

/** 100 operations of one client on its own entities: create, start a case, fire events, read back. */
async function ownWork(url: string, prefix: string, tally: Tally): Promise<void> {
  for (let i = 0; i < ROUNDS; i++) {
    const job = `${prefix}-j${i}`;
    const kase = `${prefix}-k${i}`;
    tally.record(await gql(url, MUTATIONS.createJob, { input: { id: job, name: `job ${i}`, agentName: "load" } }));
    tally.record(await gql(url, MUTATIONS.startCase, { input: { jobId: job, id: kase, name: `case ${i}` } }));
    tally.record(await gql(url, MUTATIONS.jobEvent, { id: job, e: "START_WORK" }));
    tally.record(await gql(url, MUTATIONS.caseEvent, { id: kase, e: "AWAITING_ON_INPUT", o: { expectedVersion: 1 } }));
    const read = await gql(
      url,
      `query($id: ID!) { job(id: $id) { status version cases { totalCount edges { node { id status version } } } } }`,
      { id: job },
    );
    tally.record(read);
    const readJob = dataOf(read).job as {
      status: string;
      version: number;
      cases: { totalCount: number; edges: { node: { id: string; status: string; version: number } }[] };
    };
    expect(readJob).toEqual({
      status: "IN_PROGRESS",
      version: 1,
      cases: { totalCount: 1, edges: [{ node: { id: kase, status: "AWAITING", version: 2 } }] },
    });
  }
}

/** Read the shared job's version, then update it expecting that version: some lose the race. */
async function sharedJobWork(url: string, job: string, client: number, tally: Tally): Promise<void> {
  for (let i = 0; i < SHARED_JOB_ATTEMPTS; i++) {
    const read = await gql(url, `query($id: ID!) { job(id: $id) { version metadata } }`, { id: job });
    tally.record(read);
    const { version, metadata } = dataOf(read).job as { version: number; metadata: { edits?: number } };
    const edits = (metadata.edits ?? 0) + 1;
    tally.record(
      await gql(url, MUTATIONS.updateJob, { id: job, input: { metadata: { edits, by: client } }, v: version }),
      ["VERSION_CONFLICT"],
    );
  }
}

/**
 * Toggle shared cases between IN_PROGRESS and AWAITING. Half the clients say which version they
 * saw (losers get VERSION_CONFLICT), half do not (losers get INVALID_TRANSITION).
 */
async function pingPong(url: string, cases: readonly string[], client: number, tally: Tally): Promise<void> {
  for (let i = 0; i < PING_PONGS; i++) {
    for (const id of cases) {
      const read = await gql(url, `query($id: ID!) { case(id: $id) { status version } }`, { id });
      tally.record(read);
      const { status, version } = dataOf(read).case as { status: string; version: number };
      const e = status === "IN_PROGRESS" ? "AWAITING_ON_INPUT" : "INPUT_RECEIVED";
      const o = client % 2 === 0 ? { expectedVersion: version } : {};
      tally.record(await gql(url, MUTATIONS.caseEvent, { id, e, o }), ["VERSION_CONFLICT", "INVALID_TRANSITION"]);
    }
  }
}

interface SharedEntities {
  job: string;
  cases: string[];
}

async function createShared(url: string, prefix: string): Promise<SharedEntities> {
  const job = `${prefix}-shared-job`;
  dataOf(await gql(url, MUTATIONS.createJob, { input: { id: job, name: "shared", agentName: "load" } }));
  const cases: string[] = [];
  for (let k = 0; k < SHARED_CASES; k++) {
    const id = `${prefix}-shared-k${k}`;
    dataOf(await gql(url, MUTATIONS.startCase, { input: { jobId: job, id, name: `shared ${k}` } }));
    cases.push(id);
  }
  return { job, cases };
}

/** Every client does its own work, then fights over the shared entities; `urlOf` spreads them over servers. */
async function workload(
  urlOf: (client: number) => string,
  prefix: string,
): Promise<{ tally: Tally; shared: SharedEntities; ms: number }> {
  const tally = new Tally();
  const started = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => ownWork(urlOf(c), `${prefix}-c${c}`, tally)));
  const shared = await createShared(urlOf(0), prefix);
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => sharedJobWork(urlOf(c), shared.job, c, tally)));
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => pingPong(urlOf(c), shared.cases, c, tally)));
  return { tally, shared, ms: Date.now() - started };
}

/** Exact counts: every acknowledged write is there once, and the shared entities add up. */
function expectNothingLost(file: string, prefix: string, tally: Tally, shared: SharedEntities): string {
  const db = new Database(file, { readonly: true });
  try {
    const like = `${prefix}-c%`;
    const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
    expect(count(`SELECT count(*) AS n FROM "Job" WHERE id LIKE ?`, like)).toBe(CLIENTS * ROUNDS);
    expect(count(`SELECT count(*) AS n FROM "Case" WHERE id LIKE ?`, like)).toBe(CLIENTS * ROUNDS);
    expect(
      count(`SELECT count(*) AS n FROM "Job" WHERE id LIKE ? AND status = 'IN_PROGRESS' AND version = 1`, like),
    ).toBe(CLIENTS * ROUNDS);
    expect(
      count(`SELECT count(*) AS n FROM "Case" WHERE id LIKE ? AND status = 'AWAITING' AND version = 2`, like),
    ).toBe(CLIENTS * ROUNDS);
    expect(count(`SELECT count(*) AS n FROM "Transition" WHERE "jobId" LIKE ? OR "caseId" LIKE ?`, like, like)).toBe(
      CLIENTS * ROUNDS * 3,
    );

    // The shared job: every successful update is one version, none more, none lost.
    const jobUpdates = CLIENTS * SHARED_JOB_ATTEMPTS;
    const job = db.prepare(`SELECT version, metadata FROM "Job" WHERE id = ?`).get(shared.job) as {
      version: number;
      metadata: string;
    };
    const conflicts = tally.count("VERSION_CONFLICT");
    // Each success read the edits count of the version it replaced, so the count is exact.
    expect(JSON.parse(job.metadata).edits).toBe(job.version);
    expect(job.version).toBeGreaterThan(0);
    expect(job.version).toBeLessThanOrEqual(jobUpdates);

    // The shared cases: every accepted toggle is one transition and one version.
    for (const id of shared.cases) {
      const row = db.prepare(`SELECT version, status FROM "Case" WHERE id = ?`).get(id) as {
        version: number;
        status: string;
      };
      expect(count(`SELECT count(*) AS n FROM "Transition" WHERE "caseId" = ?`, id)).toBe(row.version);
      expect(row.status).toBe(row.version % 2 === 1 ? "IN_PROGRESS" : "AWAITING");
    }
    const caseVersions = shared.cases.map(
      (id) => (db.prepare(`SELECT version FROM "Case" WHERE id = ?`).get(id) as { version: number }).version,
    );
    const toggles = caseVersions.reduce((sum, v) => sum + v - 1, 0);
    const attempts = CLIENTS * PING_PONGS * SHARED_CASES;
    const invalid = tally.count("INVALID_TRANSITION");
    // Every refused attempt is a lost race, and every lost race was refused.
    expect(conflicts + invalid).toBe(jobUpdates - job.version + attempts - toggles);
    return (
      `${tally.operations} operations in total, ${tally.count("ok")} ok; shared job: ${job.version} of ${jobUpdates} updates won, ` +
      `shared cases: ${toggles} of ${attempts} toggles won; ${conflicts} VERSION_CONFLICT, ${invalid} INVALID_TRANSITION`
    );
  } finally {
    db.close();
  }
}

describe("concurrent clients over HTTP", () => {
  const dir = tempDir("casebook-concurrency-");
  const file = path.join(dir, "entities.db");
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.crash()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`${CLIENTS} clients × 100 operations and shared-entity races against one server`, async () => {
    const server = await startServerProcess(file);
    servers.push(server);
    const { tally, shared, ms } = await workload(() => server.url, "one");
    expect(tally.strange, "unexpected answers").toEqual([]);
    const summary = expectNothingLost(file, "one", tally, shared);
    expect(tally.count("VERSION_CONFLICT") + tally.count("INVALID_TRANSITION"), "races were provoked").toBeGreaterThan(
      0,
    );
    console.log(`one server: ${summary} (${ms} ms)`);
  });

  it("two server processes on one database file, clients on both", async () => {
    servers.push(await startServerProcess(file));
    const [a, b] = servers.slice(-2) as [ServerProcess, ServerProcess];
    const { tally, shared, ms } = await workload((c) => (c % 2 === 0 ? a.url : b.url), "two");
    expect(tally.strange, "unexpected answers").toEqual([]);
    const summary = expectNothingLost(file, "two", tally, shared);
    expect(tally.count("VERSION_CONFLICT") + tally.count("INVALID_TRANSITION"), "races were provoked").toBeGreaterThan(
      0,
    );
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    expect(checkInvariants(file, edits).problems).toEqual([]);
    console.log(`two servers: ${summary} (${ms} ms)`);
  });
});
