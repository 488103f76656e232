// Statements over a parent and its descendants on PostgreSQL: the parents a child is created or
// started under, the cascade of a cancel, the running-descendants check of a delete, and the
// deadlines that ran out. Each is one statement, whatever the number of rows.
//
// Locks are always taken from the top down (mission, job, case), by the cancel that cascades as
// by the child that starts, so the two wait for each other instead of deadlocking. A child that
// starts holds a shared lock on its parents for its one statement: a cancel of a parent either
// comes after it (and its next statement, with a new snapshot, finds the child running) or before
// it (and the child, reading the parent under its lock, finds it CANCELLING).

import { DEADLINE_ACTOR } from "../../domain/deadlines.js";
import type { EntityType } from "../../domain/entities.js";
import type { Ancestor } from "../../domain/finished-rules.js";
import { ENTITY_TABLES, type EntityTable } from "../entity-tables.js";
import type { CascadeAudit, WorkflowStore } from "../store.js";
import { CANCELLABLE_SQL, CLOSED_PARENT_SQL, jobAncestors, levelsUnder, RUNNING_SQL } from "../workflow-sql.js";
import { changeAppendCte, changeReturning, changeTarget, kindLiteral } from "./pg-change-log.js";
import { pgDate, pgKey } from "./pg-codec.js";
import { type PgSession, preparedStatement } from "./pg-session.js";
import { STORED_TYPE } from "./pg-transition-repository.js";

/**
 * CTEs that lock (FOR SHARE) the parents of the row `childId` names in `spec`'s table, mission
 * first, and a subquery that finds a row when one of them is CANCELLING or terminal.
 */
export function lockedParentsSql(spec: EntityTable, childId: string): { ctes: string; closed: string } {
  if (spec.entityType === "Job") {
    return {
      ctes: `"parents" AS MATERIALIZED (
        SELECT "status" FROM "Mission" WHERE "id" = (SELECT "missionId" FROM "Job" WHERE "id" = ${childId}) FOR SHARE)`,
      closed: `SELECT 1 FROM "parents" WHERE "status" IN ${CLOSED_PARENT_SQL}`,
    };
  }
  if (spec.entityType === "Case") {
    // The job's row is locked after its mission's: its scalar subquery reads the mission first.
    return {
      ctes: `"mission" AS MATERIALIZED (
        SELECT "status" FROM "Mission" WHERE "id" = (
          SELECT "j"."missionId" FROM "Job" AS "j" JOIN "Case" AS "c" ON "c"."jobId" = "j"."id" WHERE "c"."id" = ${childId}
        ) FOR SHARE),
      "parents" AS MATERIALIZED (
        SELECT "j"."status", (SELECT "status" FROM "mission") AS "missionStatus" FROM "Job" AS "j"
        WHERE "j"."id" = (SELECT "jobId" FROM "Case" WHERE "id" = ${childId}) FOR SHARE OF "j")`,
      closed: `SELECT 1 FROM "parents" WHERE "status" IN ${CLOSED_PARENT_SQL} OR "missionStatus" IN ${CLOSED_PARENT_SQL}`,
    };
  }
  throw new Error("a mission has no parent");
}

/** The rows of `child` under the parent ($1): a mission's jobs, a job's cases, a mission's cases. */
function scopeSql(child: "Job" | "Case", parentType: "Mission" | "Job"): string {
  if (child === "Job") return `"missionId" = $1`;
  return parentType === "Job" ? `"jobId" = $1` : `"jobId" IN (SELECT "id" FROM "Job" WHERE "missionId" = $1)`;
}

/**
 * One level of a cascade: lock the running children (a child that changed meanwhile is judged
 * again on its new row), move them, and write each one's audit row with the status it left.
 */
function cancelLevelSql(child: "Job" | "Case", parentType: "Mission" | "Job", changes: string) {
  const spec = ENTITY_TABLES[child];
  return preparedStatement(`WITH "locked" AS MATERIALIZED (
      SELECT "id", "status" FROM ${spec.table}
      WHERE ${scopeSql(child, parentType)} AND "status" IN ${CANCELLABLE_SQL}
      ORDER BY "id" FOR UPDATE
    ), "moved" AS (
      UPDATE ${spec.table} AS "e"
      SET "status" = 'CANCELLING', "version" = "e"."version" + 1, "updatedAt" = $2, "awaitingUntil" = NULL
      FROM "locked" WHERE "e"."id" = "locked"."id"
      RETURNING ${changeReturning(child, '"e".')}, "locked"."status" AS "fromStatus", "e"."createdAt"
    ), ${changeAppendCte(
      changes,
      "logged",
      child,
      `"moved"`,
      {
        kind: kindLiteral("TRANSITIONED"),
        status: `"e"."status"`,
        version: `"e"."version"`,
        event: `(CASE "e"."fromStatus" WHEN 'AWAITING' THEN 'CANCEL_WHILE_WAITING' ELSE 'CANCEL_REQUESTED' END)::"EntityEvent"`,
        at: "$2",
        actor: "$3",
      },
      ` ORDER BY "e"."createdAt", "e"."id"`,
    )}
    INSERT INTO "Transition" ("entityType", ${spec.transitionColumn}, "event", "fromStatus", "toStatus", "version", "at", "actor", "reason")
    SELECT '${STORED_TYPE[child]}'::"EntityType", "id",
      (CASE "fromStatus" WHEN 'AWAITING' THEN 'CANCEL_WHILE_WAITING' ELSE 'CANCEL_REQUESTED' END)::"EntityEvent",
      "fromStatus", 'CANCELLING'::"EntityStatus", "version", $2, $3, $4
    FROM "moved" ORDER BY "createdAt", "id"`);
}

/**
 * Deadlines that ran out, taken with SKIP LOCKED so that processes sweeping at once split them
 * instead of waiting for each other; a row whose wait ended meanwhile no longer matches.
 */
function expireSql(entityType: EntityType, changes: string) {
  const spec = ENTITY_TABLES[entityType];
  // The same text as deadlineReason (domain/deadlines.ts).
  const reason = `'the deadline ' || to_char("due"."awaitingUntil" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ' passed without input'`;
  const error = entityType === "Mission" ? "" : `, "error" = ${reason}`;
  return preparedStatement(`WITH "due" AS MATERIALIZED (
      SELECT "id", "awaitingUntil" FROM ${spec.table}
      WHERE "status" = 'AWAITING' AND "awaitingUntil" <= $1
      ORDER BY "awaitingUntil", "id" LIMIT $2 FOR UPDATE SKIP LOCKED
    ), "moved" AS (
      UPDATE ${spec.table} AS "e"
      SET "status" = 'FAILED', "version" = "e"."version" + 1, "updatedAt" = $1,
        "finishedAt" = COALESCE("e"."finishedAt", $1), "awaitingUntil" = NULL${error}
      FROM "due" WHERE "e"."id" = "due"."id"
      RETURNING ${changeReturning(entityType, '"e".')}, "due"."awaitingUntil"
    ), ${changeAppendCte(
      changes,
      "logged",
      entityType,
      `"moved"`,
      {
        kind: kindLiteral("TRANSITIONED"),
        status: `"e"."status"`,
        version: `"e"."version"`,
        event: `'TIMEOUT_OR_ERROR'::"EntityEvent"`,
        at: "$1",
        actor: "$3",
      },
      ` ORDER BY "e"."awaitingUntil", "e"."id"`,
    )}
    INSERT INTO "Transition" ("entityType", ${spec.transitionColumn}, "event", "fromStatus", "toStatus", "version", "at", "actor", "reason")
    SELECT '${STORED_TYPE[entityType]}'::"EntityType", "id", 'TIMEOUT_OR_ERROR'::"EntityEvent", 'AWAITING'::"EntityStatus",
      'FAILED'::"EntityStatus", "version", $1, $3, ${reason}
    FROM "moved" AS "due" ORDER BY "awaitingUntil", "id"`);
}

export class PgWorkflowRepository implements WorkflowStore {
  constructor(private readonly session: PgSession) {}

  async ancestors(parentType: "Mission" | "Job", parentId: string): Promise<Ancestor[]> {
    const lock = this.session.inTransaction ? " FOR SHARE" : "";
    if (parentType === "Mission") {
      const { rows } = await this.session.query<{ status: Ancestor["status"] }>(
        `SELECT "status" FROM "Mission" WHERE "id" = $1${lock}`,
        [pgKey(parentId)],
      );
      return rows[0] ? [{ entityType: "Mission", id: parentId, status: rows[0].status }] : [];
    }
    const { rows } = await this.session.query<{
      status: Ancestor["status"];
      missionId: string | null;
      missionStatus: Ancestor["status"] | null;
    }>(
      `WITH "mission" AS MATERIALIZED (
         SELECT "id", "status" FROM "Mission" WHERE "id" = (SELECT "missionId" FROM "Job" WHERE "id" = $1)${lock})
       SELECT "j"."status", (SELECT "id" FROM "mission") AS "missionId", (SELECT "status" FROM "mission") AS "missionStatus"
       FROM "Job" AS "j" WHERE "j"."id" = $1${lock && `${lock} OF "j"`}`,
      [pgKey(parentId)],
    );
    const row = rows[0];
    return row ? jobAncestors(parentId, row.status, { id: row.missionId, status: row.missionStatus }) : [];
  }

  async cancelRunningDescendants(parentType: "Mission" | "Job", parentId: string, audit: CascadeAudit) {
    let moved = 0;
    for (const child of levelsUnder(parentType)) {
      const { rowCount } = await this.session.query(
        cancelLevelSql(child, parentType, changeTarget(this.session.inTransaction)),
        [pgKey(parentId), pgDate(audit.at), audit.actor, audit.reason],
      );
      moved += rowCount ?? 0;
    }
    return moved;
  }

  async hasRunningDescendants(parentType: "Mission" | "Job", parentId: string): Promise<boolean> {
    const exists = levelsUnder(parentType).map(
      (child) =>
        `EXISTS (SELECT 1 FROM ${ENTITY_TABLES[child].table} WHERE ${scopeSql(child, parentType)} AND "status" IN ${RUNNING_SQL})`,
    );
    const { rows } = await this.session.query<{ running: boolean }>(`SELECT ${exists.join(" OR ")} AS "running"`, [
      pgKey(parentId),
    ]);
    return rows[0]?.running === true;
  }

  async expireDeadlines(entityType: EntityType, now: Date, limit: number): Promise<number> {
    const { rowCount } = await this.session.query(expireSql(entityType, changeTarget(this.session.inTransaction)), [
      pgDate(now),
      limit,
      DEADLINE_ACTOR,
    ]);
    return rowCount ?? 0;
  }
}
