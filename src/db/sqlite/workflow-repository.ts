// Statements over a parent and its descendants on SQLite: the parents a child is created or
// started under, the cascade of a cancel, the running-descendants check of a delete, and the
// deadlines that ran out. Every write here runs inside a transaction, which on SQLite holds the
// database's write lock: what a statement selects cannot change before the next one runs, so
// each level is an INSERT of the audit rows from a SELECT, then the UPDATE of the same rows.

import { DEADLINE_ACTOR } from "../../domain/deadlines.js";
import type { EntityType } from "../../domain/entities.js";
import type { Ancestor } from "../../domain/finished-rules.js";
import { CHANGE_COLUMNS, changeSelect } from "../change-sql.js";
import { ENTITY_TABLES, type EntityTable } from "../entity-tables.js";
import type { CascadeAudit, WorkflowStore } from "../store.js";
import { CANCELLABLE_SQL, CLOSED_PARENT_SQL, jobAncestors, levelsUnder, RUNNING_SQL } from "../workflow-sql.js";
import { encodeDate } from "./codec.js";
import type { SqlDatabase } from "./sql-database.js";

const STORED_TYPE = { Mission: "MISSION", Job: "JOB", Case: "CASE" } as const;

/**
 * A subquery that finds a row when a parent of the row being updated in `spec`'s table is
 * CANCELLING or terminal: a job's mission; a case's job, or that job's mission.
 */
export function closedAncestorSql(spec: EntityTable): string {
  if (spec.entityType === "Job") {
    return `SELECT 1 FROM "Mission" AS "m" WHERE "m"."id" = "Job"."missionId" AND "m"."status" IN ${CLOSED_PARENT_SQL}`;
  }
  if (spec.entityType === "Case") {
    return `SELECT 1 FROM "Job" AS "j" LEFT JOIN "Mission" AS "m" ON "m"."id" = "j"."missionId"
      WHERE "j"."id" = "Case"."jobId" AND ("j"."status" IN ${CLOSED_PARENT_SQL} OR "m"."status" IN ${CLOSED_PARENT_SQL})`;
  }
  throw new Error("a mission has no parent");
}

/** The rows of `child` under the parent (one `?`): a mission's jobs, a job's cases, a mission's cases. */
function scopeSql(child: "Job" | "Case", parentType: "Mission" | "Job"): string {
  if (child === "Job") return `"missionId" = ?`;
  return parentType === "Job" ? `"jobId" = ?` : `"jobId" IN (SELECT "id" FROM "Job" WHERE "missionId" = ?)`;
}

export class WorkflowRepository implements WorkflowStore {
  constructor(private readonly db: SqlDatabase) {}

  async ancestors(parentType: "Mission" | "Job", parentId: string): Promise<Ancestor[]> {
    if (parentType === "Mission") {
      const mission = this.db.get<{ status: Ancestor["status"] }>(`SELECT "status" FROM "Mission" WHERE "id" = ?`, [
        parentId,
      ]);
      return mission ? [{ entityType: "Mission", id: parentId, status: mission.status }] : [];
    }
    const rows = this.db.all<{
      jobStatus: Ancestor["status"];
      missionId: string | null;
      missionStatus: Ancestor["status"] | null;
    }>(
      `SELECT "j"."status" AS "jobStatus", "m"."id" AS "missionId", "m"."status" AS "missionStatus"
       FROM "Job" AS "j" LEFT JOIN "Mission" AS "m" ON "m"."id" = "j"."missionId" WHERE "j"."id" = ?`,
      [parentId],
    );
    const row = rows[0];
    return row ? jobAncestors(parentId, row.jobStatus, { id: row.missionId, status: row.missionStatus }) : [];
  }

  async cancelRunningDescendants(parentType: "Mission" | "Job", parentId: string, audit: CascadeAudit) {
    let moved = 0;
    for (const child of levelsUnder(parentType)) {
      const spec = ENTITY_TABLES[child];
      const where = `${scopeSql(child, parentType)} AND "status" IN ${CANCELLABLE_SQL}`;
      const at = encodeDate(audit.at);
      this.db.run(
        `INSERT INTO "Transition" ("entityType", ${spec.transitionColumn}, "event", "fromStatus", "toStatus", "version", "at", "actor", "reason")
         SELECT '${STORED_TYPE[child]}', "id",
           CASE "status" WHEN 'AWAITING' THEN 'CANCEL_WHILE_WAITING' ELSE 'CANCEL_REQUESTED' END,
           "status", 'CANCELLING', "version" + 1, ?, ?, ?
         FROM ${spec.table} WHERE ${where} ORDER BY "createdAt", "id"`,
        [at, audit.actor, audit.reason, parentId],
      );
      this.db.run(
        `INSERT INTO "Change" (${CHANGE_COLUMNS})
         ${changeSelect(child, spec.table, `'${STORED_TYPE[child]}'`, {
           kind: `'TRANSITIONED'`,
           status: `'CANCELLING'`,
           version: `"e"."version" + 1`,
           event: `CASE "e"."status" WHEN 'AWAITING' THEN 'CANCEL_WHILE_WAITING' ELSE 'CANCEL_REQUESTED' END`,
           at: "?",
           actor: "?",
         })}
         WHERE "e"."id" IN (SELECT "id" FROM ${spec.table} WHERE ${where}) ORDER BY "e"."createdAt", "e"."id"`,
        [at, audit.actor, parentId],
      );
      moved += this.db.run(
        `UPDATE ${spec.table} SET "status" = 'CANCELLING', "version" = "version" + 1, "updatedAt" = ?, "awaitingUntil" = NULL
         WHERE ${where}`,
        [at, parentId],
      ).changes;
    }
    return moved;
  }

  async hasRunningDescendants(parentType: "Mission" | "Job", parentId: string): Promise<boolean> {
    const levels = levelsUnder(parentType);
    const exists = levels.map(
      (child) =>
        `EXISTS (SELECT 1 FROM ${ENTITY_TABLES[child].table} WHERE ${scopeSql(child, parentType)} AND "status" IN ${RUNNING_SQL})`,
    );
    const row = this.db.get<{ running: number }>(
      `SELECT ${exists.join(" OR ")} AS "running"`,
      levels.map(() => parentId),
    );
    return row?.running === 1;
  }

  /** Whether an entity of the type waits past its deadline at `now`. */
  async anyDue(entityType: EntityType, now: Date): Promise<boolean> {
    const row = this.db.get(
      `SELECT 1 AS "due" FROM ${ENTITY_TABLES[entityType].table} WHERE "status" = 'AWAITING' AND "awaitingUntil" <= ? LIMIT 1`,
      [encodeDate(now)],
    );
    return row !== undefined;
  }

  async expireDeadlines(entityType: EntityType, now: Date, limit: number): Promise<number> {
    const spec = ENTITY_TABLES[entityType];
    const at = encodeDate(now);
    // Stored as ISO text with "+00:00" (codec.ts): the same text deadlineReason writes with "Z".
    const reason = `'the deadline ' || replace("awaitingUntil", '+00:00', 'Z') || ' passed without input'`;
    const due = `SELECT "id" FROM ${spec.table} WHERE "status" = 'AWAITING' AND "awaitingUntil" <= ?
      ORDER BY "awaitingUntil", "id" LIMIT ?`;
    this.db.run(
      `INSERT INTO "Transition" ("entityType", ${spec.transitionColumn}, "event", "fromStatus", "toStatus", "version", "at", "actor", "reason")
       SELECT '${STORED_TYPE[entityType]}', "id", 'TIMEOUT_OR_ERROR', 'AWAITING', 'FAILED', "version" + 1, ?, ?, ${reason}
       FROM ${spec.table} WHERE "id" IN (${due}) ORDER BY "awaitingUntil", "id"`,
      [at, DEADLINE_ACTOR, at, limit],
    );
    this.db.run(
      `INSERT INTO "Change" (${CHANGE_COLUMNS})
       ${changeSelect(entityType, spec.table, `'${STORED_TYPE[entityType]}'`, {
         kind: `'TRANSITIONED'`,
         status: `'FAILED'`,
         version: `"e"."version" + 1`,
         event: `'TIMEOUT_OR_ERROR'`,
         at: "?",
         actor: "?",
       })} WHERE "e"."id" IN (${due}) ORDER BY "e"."awaitingUntil", "e"."id"`,
      [at, DEADLINE_ACTOR, at, limit],
    );
    const error = entityType === "Mission" ? "" : `, "error" = ${reason}`;
    return this.db.run(
      `UPDATE ${spec.table} SET "status" = 'FAILED', "version" = "version" + 1, "updatedAt" = ?,
         "finishedAt" = COALESCE("finishedAt", ?)${error}, "awaitingUntil" = NULL
       WHERE "id" IN (${due})`,
      [at, at, at, limit],
    ).changes;
  }
}
