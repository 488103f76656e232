// What the engines' change-feed statements share (sqlite/change-log.ts, postgres/pg-change-log.ts):
// the columns of a change row, where a row's parents' ids come from, and the feed's filter.
// Every statement that writes an entity appends its change rows in the same statement or
// transaction, from the rows it wrote, so that a write and its change commit together or not at all.
import type { ChangeFilter } from "../domain/changes.js";
import type { EntityType } from "../domain/entities.js";

export const STORED_ENTITY_TYPE = { Mission: "MISSION", Job: "JOB", Case: "CASE" } as const;

export const ENTITY_TYPE_OF_STORED: Record<string, EntityType> = { MISSION: "Mission", JOB: "Job", CASE: "Case" };

/**
 * The position of the first change at or after a time (`?`), found by walking the log in
 * position order from its start: what pruning keeps from. The walk reads only the changes that
 * go, and the log needs no index on "at" (one index insert less on every write).
 */
export const FIRST_KEPT_SQL = `SELECT "seq" FROM "Change" WHERE "at" >= ? ORDER BY "seq" LIMIT 1`;

/** The columns a change row is written with, in the order changeSelect lists them. */
export const CHANGE_COLUMNS = `"entityType", "entityId", "missionId", "jobId", "kind", "status", "version", "event", "at", "actor"`;

/**
 * The FROM clause and parent-id expressions of change rows written from `rows` (a table, or a CTE
 * of rows RETURNING the entity's id, status, version and parent column), aliased "e": a job's
 * mission is its own column; a case's mission is its job's.
 */
function changeSource(entityType: EntityType, rows: string): { from: string; missionId: string; jobId: string } {
  if (entityType === "Case") {
    return {
      from: `${rows} AS "e" JOIN "Job" AS "p" ON "p"."id" = "e"."jobId"`,
      missionId: `"p"."missionId"`,
      jobId: `"e"."jobId"`,
    };
  }
  return { from: `${rows} AS "e"`, missionId: entityType === "Job" ? `"e"."missionId"` : "NULL", jobId: "NULL" };
}

/** SQL values of one change column each, for a SELECT that feeds `INSERT INTO "Change" (CHANGE_COLUMNS)`. */
export interface ChangeValues {
  kind: string;
  status: string;
  version: string;
  event: string;
  at: string;
  actor: string;
}

/** `SELECT … FROM …` of change rows of `entityType` from `rows` (see changeSource). */
export function changeSelect(entityType: EntityType, rows: string, typeLiteral: string, values: ChangeValues): string {
  const source = changeSource(entityType, rows);
  return `SELECT ${typeLiteral}, "e"."id", ${source.missionId}, ${source.jobId}, ${values.kind}, ${values.status},
    ${values.version}, ${values.event}, ${values.at}, ${values.actor} FROM ${source.from}`;
}

/**
 * Rows that a delete of `entityType` `idParam` removes, descendants first (a mission's cases, its
 * jobs, then the mission, by "level"), with their parents' ids: selected before the delete runs.
 * The entity itself comes first in the UNION, whose first SELECT names the columns.
 */
export function removedRowsSql(entityType: EntityType, idParam: () => string): string {
  const self = `SELECT 1 AS "level", '${STORED_ENTITY_TYPE[entityType]}' AS "entityType", "id", ${
    entityType === "Mission"
      ? "NULL"
      : entityType === "Job"
        ? `"missionId"`
        : `(SELECT "missionId" FROM "Job" WHERE "id" = "Case"."jobId")`
  } AS "missionId", ${entityType === "Case" ? `"jobId"` : "NULL"} AS "jobId", "createdAt" FROM "${entityType}" WHERE "id" = ${idParam()}`;
  if (entityType === "Case") return self;
  if (entityType === "Job") {
    const cases = `SELECT 3, 'CASE', "c"."id", "j"."missionId", "c"."jobId", "c"."createdAt" FROM "Case" AS "c"
      JOIN "Job" AS "j" ON "j"."id" = "c"."jobId" WHERE "c"."jobId" = ${idParam()}`;
    return `${self} UNION ALL ${cases}`;
  }
  const cases = `SELECT 3, 'CASE', "c"."id", "j"."missionId", "c"."jobId", "c"."createdAt" FROM "Case" AS "c"
    JOIN "Job" AS "j" ON "j"."id" = "c"."jobId" WHERE "j"."missionId" = ${idParam()}`;
  const jobs = `SELECT 2, 'JOB', "id", "missionId", NULL, "createdAt" FROM "Job" WHERE "missionId" = ${idParam()}`;
  return `${self} UNION ALL ${jobs} UNION ALL ${cases}`;
}

/**
 * The WHERE conditions of `filter` on the "Change" table, with a placeholder from `param` for
 * each value (`param(value)` pushes the value and returns its placeholder). The same rules as
 * changeMatches (domain/changes.ts).
 */
export function changeFilterSql(
  filter: ChangeFilter,
  param: (value: unknown) => string,
  list: (values: readonly string[], type: string) => string,
): string {
  const conditions: string[] = [];
  if (filter.entityTypes) {
    conditions.push(
      `"entityType" ${list(
        filter.entityTypes.map((t) => STORED_ENTITY_TYPE[t]),
        "EntityType",
      )}`,
    );
  }
  if (filter.ids) conditions.push(`"entityId" ${list(filter.ids, "text")}`);
  if (filter.missionId !== undefined) {
    conditions.push(
      `("missionId" = ${param(filter.missionId)} OR ("entityType" = 'MISSION' AND "entityId" = ${param(filter.missionId)}))`,
    );
  }
  if (filter.jobId !== undefined) {
    conditions.push(
      `("jobId" = ${param(filter.jobId)} OR ("entityType" = 'JOB' AND "entityId" = ${param(filter.jobId)}))`,
    );
  }
  if (filter.kinds) conditions.push(`"kind" ${list(filter.kinds, "ChangeKind")}`);
  if (filter.statuses) conditions.push(`"status" ${list(filter.statuses, "EntityStatus")}`);
  return conditions.length === 0 ? "TRUE" : conditions.join(" AND ");
}
