// What the two baseline servers share with casebook's data layer: the same SQLite settings
// (src/db/sql-database.ts), and the same statements for the work each scenario does
// (src/db/entity-repository.ts, src/db/transition-repository.ts), written out raw.
import Database from "better-sqlite3";
import { encodeDate } from "../../src/db/sqlite/codec.js";

export function openBaselineDatabase(): Database.Database {
  const file = process.env.DATABASE_URL?.replace(/^file:/, "");
  if (!file) throw new Error("DATABASE_URL is required");
  const db = new Database(file, { timeout: Number(process.env.SQLITE_BUSY_TIMEOUT_MS ?? 5000) });
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL"}`);
  db.pragma("foreign_keys = ON");
  return db;
}

const NEXT: Record<string, Record<string, string>> = {
  STOPPED: { START_WORK: "IN_PROGRESS" },
  IN_PROGRESS: {
    SUCCESSFULLY_DONE: "COMPLETED",
    AWAITING_ON_INPUT: "AWAITING",
    CANCEL_REQUESTED: "CANCELLING",
    ERROR_ENCOUNTERED: "FAILED",
  },
  AWAITING: { TIMEOUT_OR_ERROR: "FAILED", INPUT_RECEIVED: "IN_PROGRESS", CANCEL_WHILE_WAITING: "CANCELLING" },
  CANCELLING: { CANCEL_CONFIRMED: "CANCELLED" },
};
const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

export type JobRow = Record<string, unknown> & {
  id: string;
  status: string;
  version: number;
  finishedAt: string | null;
};
export type CaseRow = Record<string, unknown> & { id: string; status: string; createdAt: string };

export class EventError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "INVALID_TRANSITION",
    message: string,
  ) {
    super(message);
  }
}

/** The statements of both scenarios, prepared once. */
export function baselineStatements(db: Database.Database) {
  const selectJob = db.prepare(`SELECT * FROM "Job" WHERE "id" = ?`);
  const selectCases = db.prepare(`SELECT * FROM "Case" WHERE "jobId" = ? ORDER BY "createdAt", "id" LIMIT ?`);
  const transitionSql = (finishedAt: string) =>
    db.prepare(`UPDATE "Job"
         SET "status" = ?, "version" = "version" + 1, "updatedAt" = ?, "finishedAt" = ${finishedAt}
         WHERE "id" = ? AND "status" = ? AND "version" = ?`);
  const moveJob = transitionSql(`"finishedAt"`);
  const finishJob = transitionSql(`COALESCE("finishedAt", ?)`);
  const insertTransition = db.prepare(
    `INSERT INTO "Transition" ("entityType", "jobId", "event", "fromStatus", "toStatus", "version", "at", "actor", "reason", "idempotencyKey", "resultSnapshot")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  /** Read, check the rule, conditional update, audit row: one IMMEDIATE transaction. */
  const jobEvent = db.transaction((id: string, event: string) => {
    const job = selectJob.get(id) as JobRow | undefined;
    if (!job) throw new EventError("NOT_FOUND", `Job "${id}" not found`);
    const to = NEXT[job.status]?.[event];
    if (!to) throw new EventError("INVALID_TRANSITION", `${event} is not allowed from ${job.status}`);
    const at = encodeDate(new Date());
    const changed = TERMINAL.has(to)
      ? finishJob.run(to, at, at, id, job.status, job.version)
      : moveJob.run(to, at, id, job.status, job.version);
    if (changed.changes !== 1) throw new Error(`Job "${id}" changed during its own transition`);
    const version = job.version + 1;
    insertTransition.run("JOB", id, event, job.status, to, version, at, null, null, null, null);
    return { ...job, status: to, version, updatedAt: at, finishedAt: job.finishedAt ?? (TERMINAL.has(to) ? at : null) };
  });

  return {
    job: (id: string) => selectJob.get(id) as JobRow | undefined,
    /** One page of a job's cases, plus one row to tell whether there is a next page. */
    casesOfJob: (jobId: string, first: number) => selectCases.all(jobId, first + 1) as CaseRow[],
    jobEvent: (id: string, event: string) => jobEvent.immediate(id, event),
  };
}
