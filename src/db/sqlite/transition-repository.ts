// The audit trail. Rows are only ever inserted (in the same transaction as the status change
// they record) and removed by ON DELETE CASCADE with their entity.

import type { EntityType, Page, TransitionRecord } from "../../domain/entities.js";
import { ENTITY_TABLES } from "../entity-tables.js";
import type { NewTransition, TransitionStore } from "../store.js";
import {
  type TransitionPageRequest,
  transitionBounds,
  transitionPagesByEntity,
  transitionsDescending,
} from "../transition-pages.js";
import { decodeDate, encodeDate } from "./codec.js";
import type { SqlDatabase, SqlParam } from "./sql-database.js";

const STORED_TYPE = { Mission: "MISSION", Job: "JOB", Case: "CASE" } as const;

// Written once per entity type: SqlDatabase finds the prepared statement by this exact string.
const INSERT_SQL = Object.fromEntries(
  (Object.keys(ENTITY_TABLES) as EntityType[]).map((type) => [
    type,
    `INSERT INTO "Transition" ("entityType", ${ENTITY_TABLES[type].transitionColumn}, "event", "fromStatus", "toStatus", "version", "at", "actor", "reason", "idempotencyKey", "resultSnapshot")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ]),
) as Record<EntityType, string>;

/** Appends one audit row (in the transaction of the status change it records). */
export function insertTransition(db: SqlDatabase, t: NewTransition): void {
  db.run(INSERT_SQL[t.entityType], [
    STORED_TYPE[t.entityType],
    t.entityId,
    t.event,
    t.fromStatus,
    t.toStatus,
    t.version,
    encodeDate(t.at),
    t.actor,
    t.reason,
    t.idempotencyKey,
    t.resultSnapshot ?? null,
  ]);
}

export class TransitionRepository implements TransitionStore {
  constructor(private readonly db: SqlDatabase) {}

  /** Each entity's transitions, one page per entity, in one statement. */
  async listByEntities(
    entityType: EntityType,
    entityIds: readonly string[],
    page: TransitionPageRequest,
  ): Promise<Map<string, Page<TransitionRecord>>> {
    const column = ENTITY_TABLES[entityType].transitionColumn;
    const params: SqlParam[] = [JSON.stringify(entityIds)];
    let cursorSql = "";
    for (const [op, id] of transitionBounds(entityType, page)) {
      cursorSql += ` AND "id" ${op} ?`;
      params.push(id);
    }
    params.push(page.first + 1);
    const dir = transitionsDescending(page) ? "DESC" : "ASC";
    // Per entity, the first rows of its (entity, id) index from the cursor on; the snapshot a
    // transition may keep is never part of a page. Read as arrays: a dashboard shows thousands.
    const { rows } = this.db.allArrays(
      `SELECT "t"."id", "t".${column}, "t"."event", "t"."fromStatus", "t"."toStatus", "t"."version", "t"."at",
         "t"."actor", "t"."reason", "t"."idempotencyKey"
       FROM (SELECT DISTINCT value AS "entityId" FROM json_each(?)) AS "e"
       JOIN "Transition" AS "t" ON "t".rowid IN (
         SELECT "id" FROM "Transition" WHERE ${column} = "e"."entityId"${cursorSql} ORDER BY "id" ${dir} LIMIT ?
       )
       ORDER BY "t".${column}, "t"."id" ${dir}`,
      params,
    );
    return transitionPagesByEntity(
      entityType,
      entityIds,
      rows.map((row) => pageRecord(entityType, row)),
      page,
    );
  }

  async countByEntities(entityType: EntityType, entityIds: readonly string[]): Promise<Map<string, number>> {
    const column = ENTITY_TABLES[entityType].transitionColumn;
    const rows = this.db.all<{ entityId: string; n: number }>(
      `SELECT ${column} AS "entityId", COUNT(*) AS n FROM "Transition"
       WHERE ${column} IN (SELECT value FROM json_each(?)) GROUP BY ${column}`,
      [JSON.stringify(entityIds)],
    );
    const counts = new Map(rows.map((r) => [r.entityId, r.n]));
    return new Map(entityIds.map((id) => [id, counts.get(id) ?? 0]));
  }
}

/** A row of a page's statement (columns in its order) as a record. */
function pageRecord(entityType: EntityType, row: unknown[]): TransitionRecord {
  return {
    id: row[0] as number,
    entityType,
    entityId: row[1] as string,
    event: row[2] as TransitionRecord["event"],
    fromStatus: row[3] as TransitionRecord["fromStatus"],
    toStatus: row[4] as TransitionRecord["toStatus"],
    version: row[5] as number,
    at: decodeDate(row[6]),
    actor: row[7] as string | null,
    reason: row[8] as string | null,
    idempotencyKey: row[9] as string | null,
  };
}
