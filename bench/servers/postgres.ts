// The baselines on PostgreSQL: a pool configured as casebook's (src/db/postgres/pg-database.ts:
// DATABASE_POOL_SIZE connections, the same timeouts) and the statements casebook runs for each
// scenario (src/db/postgres/pg-entity-repository.ts), written out raw on node-postgres: an event
// is a read and one statement that moves the row and appends its audit row only if it moved.
import pg from "pg";
import type { BaselineData } from "./baseline-data.js";
import { type CaseRow, type JobRow, nextStatus, TERMINAL } from "./baseline-rules.js";
import { postgresNestedData } from "./postgres-nested.js";

const SELECT_JOB = `SELECT * FROM "Job" WHERE "id" = $1`;
const SELECT_CASES = `SELECT * FROM "Case" WHERE "jobId" = $1 ORDER BY "createdAt", "id" LIMIT $2`;
const transitionSql = (finishedAt: string) =>
  `WITH "moved" AS (
     UPDATE "Job"
     SET "status" = $1, "version" = "version" + 1, "updatedAt" = $2, "finishedAt" = ${finishedAt}
     WHERE "id" = $3 AND "status" = $4 AND "version" = $5
     RETURNING "id"
   )
   INSERT INTO "Transition" ("entityType", "jobId", "event", "fromStatus", "toStatus", "version", "at", "actor", "reason", "idempotencyKey", "resultSnapshot")
   SELECT $6, "id", $7, $4, $1, $8, $2, $9, $10, $11, $12 FROM "moved"`;
const MOVE_JOB = transitionSql(`"finishedAt"`);
const FINISH_JOB = transitionSql(`COALESCE("finishedAt", $2)`);

// Statements go as casebook sends its hot ones: prepared, by name (parsed and planned once per
// connection; src/db/postgres/pg-session.ts). BENCH_PG_PREPARED=0 sends them unnamed, for A/B runs.
const PREPARED = process.env.BENCH_PG_PREPARED !== "0";

export function openPostgresBaseline(url: string): BaselineData {
  const statementTimeoutMs = Number(process.env.DATABASE_STATEMENT_TIMEOUT_MS ?? 30_000);
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 5000),
    ...(statementTimeoutMs > 0
      ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 1000 }
      : {}),
    application_name: "casebook-baseline",
  });
  pool.on("error", () => {
    // An idle connection failed: the pool replaces it.
  });
  const query = <R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) =>
    PREPARED ? pool.query<R>({ name, text, values }) : pool.query<R>(text, values);

  return {
    job: async (id) => (await query<JobRow>("job", SELECT_JOB, [id])).rows[0],
    casesOfJob: async (jobId, first) => (await query<CaseRow>("cases", SELECT_CASES, [jobId, first + 1])).rows,
    async jobEvent(id, event) {
      const job = (await query<JobRow>("job", SELECT_JOB, [id])).rows[0];
      const to = nextStatus(id, job, event);
      const finishes = TERMINAL.has(to);
      const at = new Date();
      const version = job!.version + 1;
      const { rowCount } = await query(finishes ? "finish-job" : "move-job", finishes ? FINISH_JOB : MOVE_JOB, [
        to,
        at.toISOString(),
        id,
        job!.status,
        job!.version,
        "JOB",
        event,
        version,
        null,
        null,
        null,
        null,
      ]);
      if (rowCount !== 1) throw new Error(`Job "${id}" changed during its own transition`);
      return { ...job!, status: to, version, updatedAt: at, finishedAt: job!.finishedAt ?? (finishes ? at : null) };
    },
    nested: postgresNestedData(query),
    close: () => pool.end(),
  };
}
