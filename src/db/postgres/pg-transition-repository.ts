// The audit trail on PostgreSQL: rows are inserted by the entity repositories together with the
// status change they record; here they are read, one page per entity in one statement.
import type { EntityType, Page, TransitionRecord } from "../../domain/entities.js";
import { ENTITY_TABLES, type EntityTable } from "../entity-tables.js";
import type { TransitionStore } from "../store.js";
import {
  type TransitionPageRequest,
  transitionBounds,
  transitionPagesByEntity,
  transitionsDescending,
} from "../transition-pages.js";
import { pgKeys } from "./pg-codec.js";
import { type PgParam, type PgSession, preparedStatement } from "./pg-session.js";

export const STORED_TYPE = { Mission: "MISSION", Job: "JOB", Case: "CASE" } as const;

/** The columns an audit row is inserted with, the entity's own id column second. */
export function TRANSITION_COLUMNS(entityColumn: EntityTable["transitionColumn"]): string {
  return `"entityType", ${entityColumn}, "event", "fromStatus", "toStatus", "version", "at", "actor", "reason", "idempotencyKey", "resultSnapshot"`;
}

export class PgTransitionRepository implements TransitionStore {
  constructor(private readonly session: PgSession) {}

  async listByEntities(
    entityType: EntityType,
    entityIds: readonly string[],
    page: TransitionPageRequest,
  ): Promise<Map<string, Page<TransitionRecord>>> {
    const column = ENTITY_TABLES[entityType].transitionColumn;
    const params: PgParam[] = [pgKeys(entityIds)];
    let cursorSql = "";
    for (const [op, id] of transitionBounds(entityType, page)) {
      params.push(id);
      // As bigint: a cursor beyond the serial column's range is no error, only past every row.
      cursorSql += ` AND "id" ${op} $${params.length}::bigint`;
    }
    params.push(page.first + 1);
    const dir = transitionsDescending(page) ? "DESC" : "ASC";
    // Prepared: the text varies only with the entity type, the cursors given and the direction, so
    // a connection plans each of the few shapes once (a dashboard asks for them on every read).
    const { rows } = await this.session.query(
      preparedStatement(`SELECT "t".* FROM (SELECT DISTINCT unnest($1::text[]) AS "entityId") AS "e"
       CROSS JOIN LATERAL (
         SELECT "id", NULL AS "entityType", ${column} AS "entityId", "event", "fromStatus", "toStatus", "version",
           "at", "actor", "reason", "idempotencyKey"
         FROM "Transition" WHERE ${column} = "e"."entityId"${cursorSql}
         ORDER BY "id" ${dir} LIMIT $${params.length}
       ) AS "t"
       ORDER BY "t"."entityId", "t"."id" ${dir}`),
      params,
    );
    // The entity's own id column only, its type the one asked for: the other two id columns are
    // null in every row. The rows are the records then (pg reads NULL as null and int4 as a
    // number), their type written into the column read as NULL for it, so that their fields come
    // in the records' order, the same as on SQLite.
    for (const row of rows) row.entityType = entityType;
    return transitionPagesByEntity(entityType, entityIds, rows as unknown as TransitionRecord[], page);
  }

  async countByEntities(entityType: EntityType, entityIds: readonly string[]): Promise<Map<string, number>> {
    const column = ENTITY_TABLES[entityType].transitionColumn;
    const { rows } = await this.session.query<{ entityId: string; n: number }>(
      preparedStatement(`SELECT ${column} AS "entityId", COUNT(*)::int AS n FROM "Transition"
       WHERE ${column} = ANY($1::text[]) GROUP BY ${column}`),
      [pgKeys(entityIds)],
    );
    const counts = new Map(rows.map((r) => [r.entityId, r.n]));
    return new Map(entityIds.map((id) => [id, counts.get(id) ?? 0]));
  }
}
