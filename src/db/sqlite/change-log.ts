// The change feed on SQLite: the appends every entity write makes in its transaction, and the
// feed's reads and pruning. Writers hold the database's write lock from BEGIN IMMEDIATE to COMMIT,
// so AUTOINCREMENT positions are handed out in commit order with no more work.
import type { ChangeFilter, ChangeKind, ChangeRecord } from "../../domain/changes.js";
import type { EntityType } from "../../domain/entities.js";
import {
  CHANGE_COLUMNS,
  changeFilterSql,
  changeSelect,
  ENTITY_TYPE_OF_STORED,
  FIRST_KEPT_SQL,
  removedRowsSql,
  STORED_ENTITY_TYPE,
} from "../change-sql.js";
import { ENTITY_TABLES } from "../entity-tables.js";
import type { ChangeBounds, ChangeRange, ChangeStore } from "../store.js";
import { decodeDate, encodeDate } from "./codec.js";
import type { SqlDatabase, SqlParam } from "./sql-database.js";

// One statement text per entity type, so that SqlDatabase finds the prepared statement by it.
const LOG_ROW_SQL = Object.fromEntries(
  (Object.keys(ENTITY_TABLES) as EntityType[]).map((type) => [
    type,
    `INSERT INTO "Change" (${CHANGE_COLUMNS}) ${changeSelect(
      type,
      ENTITY_TABLES[type].table,
      `'${STORED_ENTITY_TYPE[type]}'`,
      {
        kind: "?",
        status: `"e"."status"`,
        version: `"e"."version"`,
        event: "?",
        at: "?",
        actor: "?",
      },
    )} WHERE "e"."id" = ?`,
  ]),
) as Record<EntityType, string>;

/** Appends the change of a write to one entity, with the status and version the write left on its row. */
export function logChange(
  db: SqlDatabase,
  entityType: EntityType,
  id: string,
  change: { kind: ChangeKind; at: Date; actor: string | null; event?: string | null },
): void {
  db.run(LOG_ROW_SQL[entityType], [change.kind, change.event ?? null, encodeDate(change.at), change.actor, id]);
}

/** Appends DELETED for `id` and everything under it: run before the delete, which cascades. */
export function logRemoval(db: SqlDatabase, entityType: EntityType, id: string, at: Date): void {
  const params: SqlParam[] = [encodeDate(at)];
  const removed = removedRowsSql(entityType, () => {
    params.push(id);
    return "?";
  });
  db.run(
    `INSERT INTO "Change" (${CHANGE_COLUMNS})
     SELECT "entityType", "id", "missionId", "jobId", 'DELETED', NULL, NULL, NULL, ?, NULL
     FROM (${removed}) ORDER BY "level", "createdAt", "id"`,
    params,
  );
}

export class ChangeRepository implements ChangeStore {
  constructor(private readonly db: SqlDatabase) {}

  async list(
    after: number,
    limit: number,
    filter: ChangeFilter = {},
    range: ChangeRange = {},
  ): Promise<ChangeRecord[]> {
    const params: SqlParam[] = [after];
    let upper = "";
    if (range.before !== undefined) {
      params.push(range.before);
      upper = `AND "seq" < ?`;
    }
    const where = changeFilterSql(
      filter,
      (value) => {
        params.push(value as SqlParam);
        return "?";
      },
      (values) => {
        params.push(JSON.stringify(values));
        return "IN (SELECT value FROM json_each(?))";
      },
    );
    params.push(limit);
    const rows = this.db.all(
      `SELECT * FROM "Change" WHERE "seq" > ? ${upper} AND ${where} ORDER BY "seq" ${range.newestFirst ? "DESC" : "ASC"} LIMIT ?`,
      params,
    );
    return rows.map(toChange);
  }

  async bounds(): Promise<ChangeBounds> {
    const row = this.db.get<{ latest: number | null; prunedThrough: number | null }>(
      `SELECT (SELECT MAX("seq") FROM "Change") AS "latest",
         (SELECT "prunedThrough" FROM "ChangeFeed" WHERE "id" = 1) AS "prunedThrough"`,
    );
    const prunedThrough = row?.prunedThrough ?? 0;
    return { latest: Math.max(row?.latest ?? 0, prunedThrough), prunedThrough };
  }

  async prune(before: Date): Promise<number> {
    const cutoff = encodeDate(before);
    // A prefix of the log: up to the first change to keep, whatever the order of their times.
    // Found by walking the log from its start (no index on "at": the walk reads the rows that go).
    const last = this.db.get<{ last: number | null }>(
      `SELECT COALESCE((${FIRST_KEPT_SQL}) - 1, (SELECT MAX("seq") FROM "Change")) AS "last"`,
      [cutoff],
    )?.last;
    if (last === null || last === undefined) return 0;
    const removed = this.db.run(`DELETE FROM "Change" WHERE "seq" <= ?`, [last]).changes;
    if (removed === 0) return 0;
    this.db.run(
      `INSERT INTO "ChangeFeed" ("id", "prunedThrough") VALUES (1, ?)
       ON CONFLICT ("id") DO UPDATE SET "prunedThrough" = MAX("prunedThrough", excluded."prunedThrough")`,
      [last],
    );
    return removed;
  }
}

function toChange(row: Record<string, unknown>): ChangeRecord {
  return {
    seq: Number(row.seq),
    entityType: ENTITY_TYPE_OF_STORED[row.entityType as string]!,
    entityId: row.entityId as string,
    missionId: (row.missionId as string | null) ?? null,
    jobId: (row.jobId as string | null) ?? null,
    kind: row.kind as ChangeKind,
    status: (row.status as ChangeRecord["status"]) ?? null,
    version: row.version === null || row.version === undefined ? null : Number(row.version),
    event: (row.event as ChangeRecord["event"]) ?? null,
    at: decodeDate(row.at),
    actor: (row.actor as string | null) ?? null,
  };
}
