// Concurrency over HTTP, on each engine: three server processes started at the same moment on
// an empty database, ten clients against one of them, then spread over all three, then the same
// idempotent request sent to all three at once. Nothing may be lost (exact counts), and every
// conflict must come back as VERSION_CONFLICT or INVALID_TRANSITION: never
// INTERNAL_SERVER_ERROR, never SQLITE_BUSY.
import { afterAll, describe, expect, it } from "vitest";
import { defaultMigrationsDir, readMigrations } from "../../src/db/migrations.js";
import { codeOf, dataOf, type GqlResult, gql, MUTATIONS } from "../support/reliability/client.js";
import type { DatabaseReader } from "../support/reliability/database-reader.js";
import { jsonValue } from "../support/reliability/database-reader.js";
import { createTargetDatabase, ENGINES, type TargetDatabase } from "../support/reliability/engines.js";
import { checkInvariants } from "../support/reliability/invariants.js";
import { type ServerProcess, startServerProcess } from "../support/reliability/server-process.js";

const PROCESSES = 3;
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
async function expectNothingLost(
  db: DatabaseReader,
  prefix: string,
  tally: Tally,
  shared: SharedEntities,
): Promise<string> {
  const like = `${prefix}-c%`;
  expect(await db.count(`SELECT count(*) AS n FROM "Job" WHERE id LIKE ?`, like)).toBe(CLIENTS * ROUNDS);
  expect(await db.count(`SELECT count(*) AS n FROM "Case" WHERE id LIKE ?`, like)).toBe(CLIENTS * ROUNDS);
  expect(
    await db.count(`SELECT count(*) AS n FROM "Job" WHERE id LIKE ? AND status = 'IN_PROGRESS' AND version = 1`, like),
  ).toBe(CLIENTS * ROUNDS);
  expect(
    await db.count(`SELECT count(*) AS n FROM "Case" WHERE id LIKE ? AND status = 'AWAITING' AND version = 2`, like),
  ).toBe(CLIENTS * ROUNDS);
  expect(
    await db.count(`SELECT count(*) AS n FROM "Transition" WHERE "jobId" LIKE ? OR "caseId" LIKE ?`, like, like),
  ).toBe(CLIENTS * ROUNDS * 3);

  // The shared job: every successful update is one version, none more, none lost.
  const jobUpdates = CLIENTS * SHARED_JOB_ATTEMPTS;
  const job = (await db.get<{ version: number; metadata: unknown }>(
    `SELECT version, metadata FROM "Job" WHERE id = ?`,
    shared.job,
  ))!;
  const conflicts = tally.count("VERSION_CONFLICT");
  // Each success read the edits count of the version it replaced, so the count is exact.
  expect(jsonValue(job.metadata).edits, `edits recorded on ${shared.job}`).toBe(job.version);
  expect(job.version).toBeGreaterThan(0);
  expect(job.version).toBeLessThanOrEqual(jobUpdates);

  // The shared cases: every accepted toggle is one transition and one version.
  let toggles = 0;
  for (const id of shared.cases) {
    const row = (await db.get<{ version: number; status: string }>(
      `SELECT version, status FROM "Case" WHERE id = ?`,
      id,
    ))!;
    expect(
      await db.count(`SELECT count(*) AS n FROM "Transition" WHERE "caseId" = ?`, id),
      `transitions of ${id}`,
    ).toBe(row.version);
    expect(row.status, `status of ${id} at version ${row.version}`).toBe(
      row.version % 2 === 1 ? "IN_PROGRESS" : "AWAITING",
    );
    toggles += row.version - 1;
  }
  const attempts = CLIENTS * PING_PONGS * SHARED_CASES;
  const invalid = tally.count("INVALID_TRANSITION");
  // Every refused attempt is a lost race, and every lost race was refused.
  expect(conflicts + invalid, "refusals = lost races").toBe(jobUpdates - job.version + attempts - toggles);
  return (
    `${tally.operations} operations in total, ${tally.count("ok")} ok; shared job: ${job.version} of ${jobUpdates} updates won, ` +
    `shared cases: ${toggles} of ${attempts} toggles won; ${conflicts} VERSION_CONFLICT, ${invalid} INVALID_TRANSITION`
  );
}

const IDEMPOTENT_CASES = 20;
const COPIES_PER_PROCESS = 2;

/**
 * The same event with the same idempotencyKey, sent to every process at once (a client retrying
 * through a load balancer): every copy gets the one result, and one transition is written.
 */
async function idempotentRetries(servers: readonly ServerProcess[], db: TargetDatabase): Promise<string> {
  const job = "idem-job";
  dataOf(await gql(servers[0]!.url, MUTATIONS.createJob, { input: { id: job, name: "idem", agentName: "load" } }));
  const cases = Array.from({ length: IDEMPOTENT_CASES }, (_, k) => `idem-k${k}`);
  for (const id of cases)
    dataOf(await gql(servers[0]!.url, MUTATIONS.startCase, { input: { jobId: job, id, name: id } }));

  const answers = await Promise.all(
    cases.map(async (id) => {
      const copies = servers.flatMap((server) =>
        Array.from({ length: COPIES_PER_PROCESS }, () =>
          gql(server.url, MUTATIONS.caseEvent, { id, e: "AWAITING_ON_INPUT", o: { idempotencyKey: `key-${id}` } }),
        ),
      );
      return { id, results: await Promise.all(copies) };
    }),
  );
  for (const { id, results } of answers) {
    for (const result of results)
      expect(dataOf(result).handleCaseEvent, `a copy of ${id}'s event`).toEqual({ id, status: "AWAITING", version: 2 });
  }
  await db.read(async (reader) => {
    for (const id of cases) {
      const written = await reader.count(
        `SELECT count(*) AS n FROM "Transition" WHERE "caseId" = ? AND "idempotencyKey" = ?`,
        id,
        `key-${id}`,
      );
      expect(written, `transitions written for ${id}'s key`).toBe(1);
      const row = await reader.get(`SELECT status, version FROM "Case" WHERE id = ?`, id);
      expect(row, `${id} after its event`).toEqual({ status: "AWAITING", version: 2 });
    }
  });
  return `${IDEMPOTENT_CASES} events, each sent ${servers.length * COPIES_PER_PROCESS} times at once over ${servers.length} processes: one transition each`;
}

describe.each(ENGINES)("%s: concurrent clients over HTTP", (engine) => {
  let db: TargetDatabase;
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.crash()));
    await db?.drop();
  });

  it(`${PROCESSES} processes started at the same moment on an empty database all start, migrations applied once`, async () => {
    db = await createTargetDatabase(engine);
    const started = await Promise.allSettled(Array.from({ length: PROCESSES }, () => startServerProcess(db.url)));
    for (const result of started) if (result.status === "fulfilled") servers.push(result.value);
    expect(
      started.flatMap((result) => (result.status === "rejected" ? [String(result.reason)] : [])),
      "processes that did not start",
    ).toEqual([]);

    const migrations = readMigrations(defaultMigrationsDir(engine)).map((m) => m.name);
    const appliedBy = servers.map(
      (server) =>
        (server.logs.find((line) => Array.isArray(line.migrationsApplied))?.migrationsApplied as string[]) ?? [],
    );
    expect(appliedBy.flat().sort(), "migrations applied, by all processes together").toEqual([...migrations].sort());
    const ledger = await db.read((reader) =>
      reader.all<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`),
    );
    expect(ledger.map((row) => row.migration_name)).toEqual([...migrations].sort());
    console.log(
      `${engine}: ${PROCESSES} processes started at once; migrations applied per process: ${JSON.stringify(appliedBy)}`,
    );
  });

  it(`${CLIENTS} clients × 100 operations and shared-entity races against one server`, async () => {
    const server = servers[0]!;
    const { tally, shared, ms } = await workload(() => server.url, "one");
    expect(tally.strange, "unexpected answers").toEqual([]);
    const summary = await db.read((reader) => expectNothingLost(reader, "one", tally, shared));
    expect(tally.count("VERSION_CONFLICT") + tally.count("INVALID_TRANSITION"), "races were provoked").toBeGreaterThan(
      0,
    );
    console.log(`${engine}, one server: ${summary} (${ms} ms)`);
  });

  it(`${PROCESSES} server processes on one database, clients spread over them`, async () => {
    const { tally, shared, ms } = await workload((c) => servers[c % servers.length]!.url, "many");
    expect(tally.strange, "unexpected answers").toEqual([]);
    const summary = await db.read((reader) => expectNothingLost(reader, "many", tally, shared));
    expect(tally.count("VERSION_CONFLICT") + tally.count("INVALID_TRANSITION"), "races were provoked").toBeGreaterThan(
      0,
    );
    console.log(`${engine}, ${servers.length} servers: ${summary} (${ms} ms)`);
  });

  it("an idempotent event sent to every process at once is written once", async () => {
    const summary = await idempotentRetries(servers, db);
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    const report = await db.read((reader) => checkInvariants(reader));
    expect(report.problems, "invariants after a clean stop").toEqual([]);
    console.log(`${engine}: ${summary}; ${report.entities} entities and ${report.transitions} transitions check out`);
  });
});
