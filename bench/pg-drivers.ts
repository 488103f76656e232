// npx tsx bench/pg-drivers.ts [rounds=3] [seconds=4]
//
// node-postgres (pg, which casebook uses) against postgres.js on casebook's own statements, no
// HTTP and no GraphQL: the read of the HTTP scenarios (a job by id, then its first page of cases)
// and the lifecycle event (the job by id, then the statement that moves it and appends its audit
// row). Ten workers at a time on a pool of ten, every statement prepared, rows parsed to Dates and
// JSON as both drivers do by default, on the 10k-case database (BENCH_POSTGRES_URL, else the
// embedded server). Prints operations per second, this process's CPU per operation and the
// database server's, the median of interleaved rounds.
import pg from "pg";
import postgres from "postgres";
import { rotate } from "./lib/compare.js";
import { jobStatuses } from "./lib/job-statuses.js";
import { pgWorkingCopy, seededPgDatabase } from "./lib/pg-seed.js";
import { benchPostgres } from "./lib/pg-server.js";
import { specForCases } from "./lib/seed-data.js";
import { median } from "./lib/stats.js";

const [roundsArg = "3", secondsArg = "4"] = process.argv.slice(2);
const WORKERS = 10;

const SELECT_JOB = `SELECT * FROM "Job" WHERE "id" = $1`;
const SELECT_CASES = `SELECT * FROM "Case" WHERE "jobId" = $1 ORDER BY "createdAt", "id" LIMIT $2`;
// The statement casebook sends for an event that does not finish its job (pg-entity-repository.ts).
const MOVE_JOB = `WITH "moved" AS (
     UPDATE "Job"
     SET "status" = $1, "version" = "version" + 1, "updatedAt" = $2, "finishedAt" = "finishedAt"
     WHERE "id" = $3 AND "status" = $4 AND "version" = $5
     RETURNING "id"
   )
   INSERT INTO "Transition" ("entityType", "jobId", "event", "fromStatus", "toStatus", "version", "at", "actor", "reason", "idempotencyKey", "resultSnapshot")
   SELECT $6, "id", $7, $4, $1, $8, $2, $9, $10, $11, $12 FROM "moved"`;

/** What each driver is asked: one statement, prepared, with its rows and the number it changed. */
interface Driver {
  query(name: string, text: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[]; count: number }>;
  end(): Promise<void>;
}

function nodePostgres(url: string): Driver {
  const pool = new pg.Pool({ connectionString: url, max: WORKERS });
  return {
    async query(name, text, values) {
      const result = await pool.query({ name, text, values });
      return { rows: result.rows, count: result.rowCount ?? 0 };
    },
    end: () => pool.end(),
  };
}

function postgresJs(url: string): Driver {
  const sql = postgres(url, { max: WORKERS, prepare: true, onnotice: () => {} });
  return {
    async query(_name, text, params) {
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });
      return { rows: rows as unknown as Record<string, unknown>[], count: rows.count };
    },
    end: () => sql.end(),
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const server = await benchPostgres(process.env.BENCH_POSTGRES_URL, log);
const seed = await seededPgDatabase(server.url, "cases_10k", specForCases(10_000), log);
const url = await pgWorkingCopy(server.url, seed.database, "drivers");

const drivers: Record<string, Driver> = { pg: nodePostgres(url), "postgres.js": postgresJs(url) };
const status = new Map((await jobStatuses(url)(seed.poolJobIds)).map((row) => [row.id, row.status]));

const operations = {
  async read(driver: Driver, i: number) {
    const id = seed.sampleJobIds[i % seed.sampleJobIds.length]!;
    const job = (await driver.query("job", SELECT_JOB, [id])).rows[0];
    if (!job) throw new Error(`job ${id} not found`);
    await driver.query("cases", SELECT_CASES, [id, 11]);
  },
  async event(driver: Driver, i: number, worker: number) {
    // Each worker bounces jobs of its own, so no two events race on one job.
    const jobs = seed.poolJobIds.filter((_, k) => k % WORKERS === worker);
    const id = jobs[i % jobs.length]!;
    const job = (await driver.query("job", SELECT_JOB, [id])).rows[0] as { status: string; version: number };
    const [event, to] =
      job.status === "IN_PROGRESS" ? ["AWAITING_ON_INPUT", "AWAITING"] : ["INPUT_RECEIVED", "IN_PROGRESS"];
    const at = new Date().toISOString();
    const params = [to, at, id, job.status, job.version, "JOB", event, job.version + 1, null, null, null, null];
    const { count } = await driver.query("move-job", MOVE_JOB, params);
    if (count !== 1) throw new Error(`job ${id} did not move`);
    status.set(id, to);
  },
};

async function run(driver: Driver, op: keyof typeof operations, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const cpu = process.cpuUsage();
  const db = server.cpuSeconds();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      for (let i = 0; Date.now() < deadline; i++, done++) await operations[op](driver, i, worker);
    }),
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const dbAfter = server.cpuSeconds();
  return {
    opsPerSecond: done / wall,
    nodeCpuUs: (used.user + used.system) / done,
    dbCpuUs: db === undefined || dbAfter === undefined ? Number.NaN : ((dbAfter - db) * 1e6) / done,
  };
}

try {
  const names = Object.keys(drivers);
  for (const op of ["read", "event"] as const) {
    const samples = new Map(names.map((n) => [n, [] as Awaited<ReturnType<typeof run>>[]]));
    for (const name of names) await run(drivers[name]!, op, 1);
    for (let r = 0; r < Number(roundsArg); r++) {
      for (const name of rotate(names, r)) samples.get(name)!.push(await run(drivers[name]!, op, Number(secondsArg)));
    }
    for (const name of names) {
      const s = samples.get(name)!;
      const m = (pick: (x: (typeof s)[number]) => number) => Math.round(median(s.map(pick)));
      console.log(
        `${op.padEnd(5)} ${name.padEnd(11)} ${m((x) => x.opsPerSecond)} ops/s  node ${m((x) => x.nodeCpuUs)} µs/op  ` +
          `database ${m((x) => x.dbCpuUs)} µs/op`,
      );
    }
  }
} finally {
  for (const driver of Object.values(drivers)) await driver.end();
  await server.close();
}
