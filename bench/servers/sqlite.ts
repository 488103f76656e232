// The baselines on SQLite: the same settings as casebook's data layer (src/db/sqlite/sql-database.ts)
// and the same statements for the work each scenario does (src/db/sqlite/entity-repository.ts,
// src/db/sqlite/transition-repository.ts), written out raw on better-sqlite3.
import Database from "better-sqlite3";
import { encodeDate } from "../../src/db/sqlite/codec.js";
import type { BaselineData } from "./baseline-data.js";
import { type CaseRow, type JobRow, nextStatus, TERMINAL } from "./baseline-rules.js";
import { sqliteNestedData } from "./sqlite-nested.js";

function openDatabase(file: string): Database.Database {
  const db = new Database(file, { timeout: Number(process.env.SQLITE_BUSY_TIMEOUT_MS ?? 5000) });
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL"}`);
  db.pragma("foreign_keys = ON");
  return db;
}

/** The statements of both scenarios, prepared once. */
export function openSqliteBaseline(file: string): BaselineData {
  const db = openDatabase(file);
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
    const to = nextStatus(id, job, event);
    const at = encodeDate(new Date());
    const changed = TERMINAL.has(to)
      ? finishJob.run(to, at, at, id, job!.status, job!.version)
      : moveJob.run(to, at, id, job!.status, job!.version);
    if (changed.changes !== 1) throw new Error(`Job "${id}" changed during its own transition`);
    const version = job!.version + 1;
    insertTransition.run("JOB", id, event, job!.status, to, version, at, null, null, null, null);
    return {
      ...job!,
      status: to,
      version,
      updatedAt: at,
      finishedAt: job!.finishedAt ?? (TERMINAL.has(to) ? at : null),
    };
  });

  return {
    job: (id) => selectJob.get(id) as JobRow | undefined,
    casesOfJob: (jobId, first) => selectCases.all(jobId, first + 1) as CaseRow[],
    jobEvent: (id, event) => jobEvent.immediate(id, event),
    nested: sqliteNestedData(db),
    close: () => void db.close(),
  };
}
