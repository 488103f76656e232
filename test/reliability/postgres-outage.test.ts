// Faults of the PostgreSQL server under load: two casebook processes on a private server of the
// test's own, clients streaming mutations at both, sending again what was not answered. The
// server is stopped and started again (a restart, a failover), frozen (a hung host), loses a
// backend to SIGKILL (the OOM killer: the server ends every session and recovers), holds a row
// lock past the statement timeout, and cuts idle pooled connections. Throughout, every request
// succeeds or fails fast with HTTP 503 SERVICE_UNAVAILABLE (never INTERNAL_SERVER_ERROR, never a
// hang past the timeouts), /health says the database is unreachable while it is, the same
// processes serve again once it is back, and nothing they acknowledged is lost or half-written.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedPostgresServer, startPrivatePostgres, withClient } from "../support/postgres.js";
import { type Ack, missingAcks } from "../support/reliability/acks.js";
import { codeOf, gql, healthReport, MUTATIONS } from "../support/reliability/client.js";
import type { Attempt } from "../support/reliability/delivery.js";
import { createTargetDatabase, type TargetDatabase } from "../support/reliability/engines.js";
import { checkInvariants } from "../support/reliability/invariants.js";
import { startLoad } from "../support/reliability/load.js";
import {
  eventually,
  firstSuccess,
  type HealthSample,
  outageViolations,
  sampleHealth,
  sleep,
  spread,
} from "../support/reliability/outage.js";
import { freeze } from "../support/reliability/postgres-processes.js";
import { type ServerProcess, startServerProcess } from "../support/reliability/server-process.js";

const PROCESSES = 2;
const CLIENTS = 6;
const CONNECT_TIMEOUT_MS = 1000;
// Well above the connect timeout, as in production, so that a /health bound by the statement
// timeout rather than the connect timeout shows.
const STATEMENT_TIMEOUT_MS = 4000;
// How long a failed request may take, with two seconds of slack for a busy machine. A server that
// refuses or ends connections fails them at once, or at worst within the wait for a connection; a
// server that answers nothing lets a statement wait out its timeout, plus the driver's second of
// grace.
const REFUSED_BOUND_MS = CONNECT_TIMEOUT_MS + 2000;
const SILENT_BOUND_MS = Math.max(CONNECT_TIMEOUT_MS, STATEMENT_TIMEOUT_MS + 1000) + 2000;
// /health runs nothing that needs statement time: it answers within the connect timeout.
const HEALTH_BOUND_MS = CONNECT_TIMEOUT_MS + 2000;
const WARM_UP_ACKS = 150;
const OUTAGE_MS = 3000;
// Longer than a statement's wait, so that requests caught by the freeze time out during it.
const FREEZE_MS = STATEMENT_TIMEOUT_MS + 2000;
const LOAD_AFTER_RECOVERY_MS = 1000;
const RETRY_DELAY_MS = 100;
const REPEAT_REFUSALS = new Set(["ALREADY_EXISTS", "VERSION_CONFLICT", "NOT_FOUND"]);
const POOLED_CONNECTION_FAILED = "a pooled database connection failed; it will be replaced";

/** How a fault went: when the database went away and came back, and /health meanwhile. */
interface FaultWindow {
  down: number;
  back: number;
  /** Every request that started at `down` or later and ended by then must have failed. */
  allFailUntil?: number;
  /** How long a failed request may take. */
  failFastBoundMs: number;
  health: HealthSample[];
  /** Requests the fault itself sent once the database was down, beside the clients' own. */
  probes?: Attempt[];
}

describe("postgresql: faults of the database server under load", () => {
  let postgres: EmbeddedPostgresServer;
  let db: TargetDatabase;
  let servers: ServerProcess[] = [];
  let thaw: (() => void) | undefined;
  const acks: Ack[] = [];

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    db = await createTargetDatabase("postgresql", postgres.url);
    // Test servers run with synchronous_commit off, for speed; a backend's crash then loses the
    // commits still in its WAL buffers, acknowledged or not. This database commits as production does.
    await withClient(db.url, (client) =>
      client.query(
        `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = on', current_database()); END $$`,
      ),
    );
    // Each process names itself to the server, so that its connections can be told apart.
    servers = await Promise.all(
      Array.from({ length: PROCESSES }, (_, p) =>
        startServerProcess(applicationUrl(db.url, p), {
          DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
          DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        }),
      ),
    );
  });
  afterAll(async () => {
    thaw?.();
    await Promise.all(servers.map((s) => s.crash()));
    await postgres?.start();
    await db?.drop();
    await postgres?.destroy();
  });

  /**
   * Runs the clients, brings `fault` on once they are under way, and judges everything that
   * happened until every process had answered again; returns a line for the summary.
   */
  async function underLoad(name: string, fault: () => Promise<FaultWindow>): Promise<string> {
    const load = startLoad({
      clients: CLIENTS,
      prefix: name,
      target: (c) => servers[c % PROCESSES]!.url,
      retryDelayMs: RETRY_DELAY_MS,
    });
    // Waits end early when something already went wrong, so that the failure shows at once.
    const failing = () => load.unexpected.length > 0 || servers.some(exited);
    await eventually(() => load.acks.length >= WARM_UP_ACKS || failing(), 30_000);
    const acksBefore = load.acks.length;
    const window = await fault();
    const recovered = await eventually(
      () => servers.every((server) => firstSuccess(load.attempts, server, window.back)) || failing(),
      30_000,
    );
    await sleep(LOAD_AFTER_RECOVERY_MS);
    await load.stop();
    acks.push(...load.acks);

    expectRunning(servers);
    // An INTERNAL_SERVER_ERROR says nothing more to a client: the cause is in the servers' log.
    const why = `; the servers logged: ${JSON.stringify(loggedErrors(servers))}`;
    expect(load.unexpected, `mutations that did not end as they should${why}`).toEqual([]);
    expect(recovered, "every process answered again once PostgreSQL was back").toBe(true);
    expect(
      outageViolations(load.attempts, window.failFastBoundMs),
      `answers other than success, a repeat's refusal, or 503 with Retry-After within ${window.failFastBoundMs} ms${why}`,
    ).toEqual([]);
    const failed = load.attempts.filter((a) => a.outcome === "SERVICE_UNAVAILABLE");
    if (window.allFailUntil !== undefined) {
      const whileDown = [...load.attempts, ...(window.probes ?? [])].filter(
        (a) => a.startedAt >= window.down && a.startedAt + a.ms <= window.allFailUntil!,
      );
      expect(
        whileDown.filter((a) => a.outcome !== "SERVICE_UNAVAILABLE"),
        "requests answered otherwise than 503 while PostgreSQL was down",
      ).toEqual([]);
      expect(whileDown.length, "requests made while PostgreSQL was down").toBeGreaterThan(0);
    }
    expect(
      window.health.filter(
        (h) =>
          (h.startedAt + h.ms <= (window.allFailUntil ?? 0) &&
            (h.status !== 503 || (h.body as { database?: string }).database !== "unreachable")) ||
          h.ms > HEALTH_BOUND_MS,
      ),
      `/health while PostgreSQL was down: 503, database unreachable, within ${HEALTH_BOUND_MS} ms`,
    ).toEqual([]);
    for (const server of servers) expect((await healthReport(server.origin)).status, "/health after").toBe(200);
    await expectNothingLostOrHalfWritten();

    const recovery = servers.map((server) => {
      const first = firstSuccess(load.attempts, server, window.back)!;
      return first.startedAt + first.ms - window.back;
    });
    return (
      `${name}: ${acksBefore} acknowledgements before, ${load.acks.length} in all; unavailable for ${window.back - window.down} ms; ` +
      `${failed.length} requests answered 503 (${spread(failed.map((a) => a.ms))}; bound ${window.failFastBoundMs} ms), ` +
      `${load.attempts.filter((a) => REPEAT_REFUSALS.has(a.outcome)).length} copies sent again found the first applied, ` +
      `${window.health.length} /health checks (${spread(window.health.map((h) => h.ms))}); ` +
      `each process answered again ${recovery.join(" and ")} ms after PostgreSQL was back`
    );
  }

  async function expectNothingLostOrHalfWritten(): Promise<void> {
    const { missing, report } = await db.read(async (reader) => ({
      missing: await missingAcks(reader, acks),
      report: await checkInvariants(reader),
    }));
    expect(missing, "acknowledged mutations missing").toEqual([]);
    expect(report.problems, "invariants").toEqual([]);
  }

  it(`stopped for ${OUTAGE_MS} ms and started again`, async () => {
    const summary = await underLoad("restart", async () => {
      await postgres.stop();
      const down = Date.now();
      const health = await sampleHealth(servers, OUTAGE_MS);
      const starting = Date.now();
      await postgres.start();
      return { down, back: Date.now(), allFailUntil: starting, failFastBoundMs: REFUSED_BOUND_MS, health };
    });
    console.log(summary);
  });

  it(`frozen for ${FREEZE_MS} ms: requests end within the timeouts`, async () => {
    const summary = await underLoad("freeze", async () => {
      thaw = freeze(postgres);
      const down = Date.now();
      const health = sampleHealth(servers, FREEZE_MS);
      // The clients' requests are mostly in flight when the freeze comes (they started before it);
      // a request that starts during it is sent here, so that there always is one to judge.
      const probes = Promise.all(servers.map((server) => timedRequest(server.url)));
      await sleep(FREEZE_MS);
      const back = Date.now();
      thaw();
      thaw = undefined;
      return {
        down,
        back,
        allFailUntil: back,
        failFastBoundMs: SILENT_BOUND_MS,
        health: await health,
        probes: await probes,
      };
    });
    console.log(summary);
  });

  it("a backend killed with SIGKILL: PostgreSQL ends every session and recovers", async () => {
    let killed: { pid: number; state: string; query: string } | undefined;
    const summary = await underLoad("backend-kill", async () => {
      killed = await backendInTransaction(postgres.url);
      process.kill(killed.pid, "SIGKILL");
      const down = Date.now();
      await eventually(() => recoveredFrom(postgres.url, killed!.pid), 30_000);
      return { down, back: Date.now(), failFastBoundMs: REFUSED_BOUND_MS, health: [] };
    });
    console.log(`${summary}; the backend killed was ${killed?.state}: ${killed?.query}`);
  });

  it("a statement held up by a row lock past DATABASE_STATEMENT_TIMEOUT_MS answers 503", async () => {
    const server = servers[0]!;
    const job = { id: "locked-job", name: "locked", agentName: "reliability" };
    expect(codeOf(await gql(server.url, MUTATIONS.createJob, { input: job }))).toBeUndefined();
    const edit = { id: job.id, input: { metadata: { edits: 1 } }, v: 0 };
    const { held, ms } = await withClient(db.url, async (client) => {
      await client.query("BEGIN");
      await client.query(`SELECT 1 FROM "Job" WHERE id = $1 FOR UPDATE`, [job.id]);
      const started = Date.now();
      const held = await gql(server.url, MUTATIONS.updateJob, edit);
      const ms = Date.now() - started;
      await client.query("ROLLBACK");
      return { held, ms };
    });
    expect(held.errors?.[0]?.extensions?.code, JSON.stringify(held)).toBe("SERVICE_UNAVAILABLE");
    expect(held.status).toBe(503);
    expect(ms, "answered within the bound").toBeLessThanOrEqual(SILENT_BOUND_MS);
    const again = await gql(server.url, MUTATIONS.updateJob, edit);
    expect(again.data?.updateJob, JSON.stringify(again)).toEqual({ id: job.id, status: "STOPPED", version: 1 });
    await expectNothingLostOrHalfWritten();
    console.log(
      `a row lock held past the ${STATEMENT_TIMEOUT_MS} ms statement timeout: 503 after ${ms} ms, then the edit went through`,
    );
  });

  it("pooled connections cut by the server between requests: the processes live on, the next request works", async () => {
    // Every process has idle connections in its pool after a few reads.
    for (const server of servers) {
      for (let i = 0; i < 3; i++)
        expect((await gql(server.url, `{ missions(first: 1) { totalCount } }`)).errors).toBeUndefined();
    }
    const warnings = (server: ServerProcess) => server.logs.filter((l) => l.msg === POOLED_CONNECTION_FAILED).length;
    const warningsBefore = servers.map(warnings);
    const terminated = await withClient(postgres.url, async (client) => {
      const counts: number[] = [];
      for (let p = 0; p < PROCESSES; p++) {
        const { rowCount } = await client.query(
          // The pool's connections only: the change feed's listener has a connection of its own.
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE application_name = $1 AND state = 'idle' AND query NOT ILIKE 'LISTEN %'`,
          [applicationName(p)],
        );
        counts.push(rowCount ?? 0);
      }
      return counts;
    });
    expect(Math.min(...terminated), "idle connections cut per process").toBeGreaterThan(0);
    // Each process hears of the connections it lost while they sat idle (the pool's error
    // listener) and drops them. Not necessarily of every one: a connection the pool retires for
    // idleness, or hands out, at the moment of the cut ends without that warning.
    const heard = await eventually(
      () => servers.every((server, p) => warnings(server) - warningsBefore[p]! > 0),
      10_000,
    );
    expect(heard, `each process reported cut connections (${terminated.join(" and ")} cut)`).toBe(true);
    expectRunning(servers);
    // More requests at once than the pool had connections: a dead one left in it would fail one.
    for (const server of servers) {
      const next = await Promise.all(
        Array.from({ length: 12 }, () => gql(server.url, `{ missions(first: 1) { totalCount } }`)),
      );
      expect(
        next.map((answer) => answer.errors),
        "the requests after the cut",
      ).toEqual(next.map(() => undefined));
    }
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await expectNothingLostOrHalfWritten();
    console.log(
      `pg_terminate_backend cut ${terminated.join(" and ")} idle pooled connections; both processes served the next request`,
    );
  });
});

/** A read sent to a server, as the load records its attempts. */
async function timedRequest(url: string): Promise<Attempt> {
  const startedAt = Date.now();
  const result = await gql(url, `{ missions(first: 1) { totalCount } }`);
  return { url, startedAt, ms: Date.now() - startedAt, outcome: codeOf(result) ?? "ok", status: result.status };
}

const exited = (server: ServerProcess) => server.child.exitCode !== null || server.child.signalCode !== null;

/** Every process still runs; else what a dead one wrote last on stderr says why. */
function expectRunning(servers: readonly ServerProcess[]): void {
  const dead = servers.filter(exited);
  expect(
    dead.map(
      (server) => `exited with ${server.child.exitCode ?? server.child.signalCode}: ${server.stderr().slice(-2000)}`,
    ),
    "processes that died",
  ).toEqual([]);
}

/** The distinct errors the servers logged (pino level 50 and up), as message: cause. */
function loggedErrors(servers: readonly ServerProcess[]): string[] {
  const lines = servers.flatMap((server) => server.logs.filter((line) => Number(line.level) >= 50 && line.err));
  const err = (line: Record<string, unknown>) => (line.err ?? {}) as { message?: string; code?: string };
  return [...new Set(lines.map((line) => `${line.msg}: ${err(line).message} (${err(line).code ?? "no code"})`))];
}

const applicationName = (p: number) => `casebook-${p}`;

function applicationUrl(url: string, p: number): string {
  const named = new URL(url);
  named.searchParams.set("application_name", applicationName(p));
  return named.toString();
}

/**
 * A casebook backend inside a transaction of several statements, whose connection the process
 * holds out of its pool (a session idle in a transaction, or running a statement after BEGIN);
 * any busy casebook backend when none turns up in time.
 */
async function backendInTransaction(serverUrl: string): Promise<{ pid: number; state: string; query: string }> {
  return withClient(serverUrl, async (client) => {
    const find = async (condition: string) =>
      (
        await client.query<{ pid: number; state: string; query: string }>(
          `SELECT pid, state, query FROM pg_stat_activity WHERE application_name LIKE 'casebook-%' AND (${condition}) LIMIT 1`,
        )
      ).rows[0];
    for (let i = 0; i < 200; i++) {
      const found = await find(`state = 'idle in transaction' OR (state = 'active' AND xact_start < query_start)`);
      if (found) return found;
    }
    const busy = await find(`state = 'active'`);
    if (!busy) throw new Error("no casebook backend is busy: is the load running?");
    return busy;
  });
}

/**
 * Whether the server has recovered from the crash of backend `pid`: it accepts connections, and
 * the backend's slot, which it could not clear as it died, is gone with the shared memory the
 * server reset while recovering (before that, connections may still be accepted).
 */
async function recoveredFrom(url: string, pid: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  // The server may yet end this session as it starts recovering: that is an answer, not a crash.
  client.on("error", () => {});
  try {
    await client.connect();
    const { rowCount } = await client.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [pid]);
    return rowCount === 0;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
