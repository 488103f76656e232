// The change feed on PostgreSQL: the CTEs with which each entity statement appends its changes
// (one round trip for the write and its changes, as for the audit row), and the feed's reads and
// pruning. Positions come from a sequence, whose numbers are drawn in the order statements ask,
// not in commit order: every read goes no further than the settled horizon (the migration
// 20261130003000_change_feed_settled_horizon), below which every number drawn has committed or
// rolled back, so that a reader never passes a position whose change may still commit.
import type { ChangeFilter, ChangeKind, ChangeRecord } from "../../domain/changes.js";
import type { EntityType } from "../../domain/entities.js";
import {
  CHANGE_COLUMNS,
  type ChangeValues,
  changeFilterSql,
  changeSelect,
  ENTITY_TYPE_OF_STORED,
  FIRST_KEPT_SQL,
  removedRowsSql,
  STORED_ENTITY_TYPE,
} from "../change-sql.js";
import { ENTITY_TABLES } from "../entity-tables.js";
import type { ChangeBounds, ChangeRange, ChangeStore } from "../store.js";
import { pgDate } from "./pg-codec.js";
import type { PgParam, PgSession } from "./pg-session.js";

/**
 * Where a statement appends its changes. A single statement outside a transaction appends to
 * "Change" itself: the migration's trigger takes the feed's append lock (shared) when the append
 * runs, after the statement's row locks, and it is held to the commit right after. A transaction
 * appends to its connection's "ChangePending" (a temporary table) and moves them to "Change"
 * just before COMMIT (CHANGE_FLUSH_SQL), so that it takes the lock last, holding it for that one
 * statement and the commit: a holder never waits for a row lock, and a reader asking for the
 * settled horizon waits for no more than a commit.
 */
export function changeTarget(inTransaction: boolean): string {
  return inTransaction ? `"pg_temp"."ChangePending"` : `"Change"`;
}

/** Creates the connection's "ChangePending" once; its seq only orders a transaction's changes. */
export const CHANGE_PENDING_SQL = `CREATE TEMP TABLE IF NOT EXISTS "ChangePending" (LIKE "Change" INCLUDING DEFAULTS)`;

/** A transaction's changes into the feed, in the order it wrote them, drawing their positions now. */
export const CHANGE_FLUSH_SQL = `WITH "pending" AS (DELETE FROM "pg_temp"."ChangePending" RETURNING *)
  INSERT INTO "Change" (${CHANGE_COLUMNS}) SELECT ${CHANGE_COLUMNS} FROM "pending" ORDER BY "seq"`;

/** The columns a CTE that writes entity rows must RETURN for changeAppendCte to read them. */
export function changeReturning(entityType: EntityType, alias = ""): string {
  const parent = ENTITY_TABLES[entityType].parentColumn;
  return [`id`, `status`, `version`, ...(parent ? [parent] : [])].map((c) => `${alias}"${c}"`).join(", ");
}

/** `"name" AS (INSERT INTO target …)`: one change per row of the CTE `rows` (see changeReturning). */
export function changeAppendCte(
  target: string,
  name: string,
  entityType: EntityType,
  rows: string,
  values: ChangeValues,
  orderBy = "",
): string {
  const type = `'${STORED_ENTITY_TYPE[entityType]}'::"EntityType"`;
  return `"${name}" AS (INSERT INTO ${target} (${CHANGE_COLUMNS}) ${changeSelect(entityType, rows, type, values)}${orderBy})`;
}

/** Statements that append to the feed itself (not to a transaction's "ChangePending"). */
export function appendsToFeed(sql: string): boolean {
  return sql.includes(`INTO "Change" `);
}

/** Wakes every process listening, after a commit: the position is the last number drawn so far. */
export const CHANGE_NOTIFY_SQL = `SELECT pg_notify('casebook_changes', (SELECT "last_value" FROM "Change_seq_seq")::text)`;

/** The last position up to which every number drawn has committed or rolled back (waits for no more than a commit). */
const HORIZON_SQL = `SELECT "casebook_change_horizon"()::text AS "settled"`;

/** A change kind as a literal of its enum. */
export function kindLiteral(kind: ChangeKind): string {
  return `'${kind}'::"ChangeKind"`;
}

/**
 * DELETE of one row of `entityType` ($1) that appends a DELETED change ($2: when) for the row and
 * each descendant the delete cascades to, read in the statement's snapshot, before the delete.
 * Answers one row, `deleted`, 1 or 0: changes are appended only when the row was there to delete.
 */
export function deleteWithChangesSql(entityType: EntityType, target: string): string {
  return `WITH "gone" AS (DELETE FROM ${ENTITY_TABLES[entityType].table} WHERE "id" = $1 RETURNING "id"),
    "logged" AS (
      INSERT INTO ${target} (${CHANGE_COLUMNS})
      SELECT "r"."entityType"::"EntityType", "r"."id", "r"."missionId", "r"."jobId", 'DELETED'::"ChangeKind",
        NULL, NULL, NULL, $2::timestamptz, NULL
      FROM (${removedRowsSql(entityType, () => "$1")}) AS "r"
      WHERE EXISTS (SELECT 1 FROM "gone")
      ORDER BY "r"."level", "r"."createdAt", "r"."id")
    SELECT COUNT(*)::int AS "deleted" FROM "gone"`;
}

export class PgChangeRepository implements ChangeStore {
  constructor(private readonly session: PgSession) {}

  async list(
    after: number,
    limit: number,
    filter: ChangeFilter = {},
    range: ChangeRange = {},
  ): Promise<ChangeRecord[]> {
    // Up to the horizon only: past it, a change may commit later than one already read.
    const settled = await this.settledHorizon();
    const before = range.before === undefined ? settled + 1 : Math.min(range.before, settled + 1);
    const params: PgParam[] = [after, before];
    const where = changeFilterSql(
      filter,
      (value) => {
        params.push(value as PgParam);
        return `$${params.length}`;
      },
      (values, type) => {
        params.push(values);
        return `= ANY($${params.length}::${type === "text" ? "text" : `"${type}"`}[])`;
      },
    );
    params.push(limit);
    const { rows } = await this.session.query(
      `SELECT * FROM "Change" WHERE "seq" > $1 AND "seq" < $2 AND ${where} ORDER BY "seq" ${range.newestFirst ? "DESC" : "ASC"} LIMIT $${params.length}`,
      params,
    );
    return rows.map(toChange);
  }

  async bounds(): Promise<ChangeBounds> {
    const { rows } = await this.session.query<{ latest: string | null; prunedThrough: string | null }>(
      `SELECT * FROM "casebook_change_bounds"()`,
    );
    const prunedThrough = Number(rows[0]?.prunedThrough ?? 0);
    return { latest: Math.max(Number(rows[0]?.latest ?? 0), prunedThrough), prunedThrough };
  }

  /**
   * After the horizon, one statement: a prefix of the log up to the first change to keep, and the
   * watermark below which a cursor has expired. The prefix ends at the horizon, so a change that
   * has yet to commit is never below the watermark.
   */
  async prune(before: Date): Promise<number> {
    const settled = await this.settledHorizon();
    const { rows } = await this.session.query<{ removed: number }>(
      `WITH "last" AS MATERIALIZED (
         SELECT LEAST($2::bigint, COALESCE((${FIRST_KEPT_SQL.replace("?", "$1")}) - 1, (SELECT MAX("seq") FROM "Change"))) AS "seq"
       ), "removed" AS (
         DELETE FROM "Change" WHERE "seq" <= (SELECT "seq" FROM "last") RETURNING "seq"
       ), "mark" AS (
         INSERT INTO "ChangeFeed" ("id", "prunedThrough")
         SELECT 1, MAX("seq") FROM "removed" HAVING COUNT(*) > 0
         ON CONFLICT ("id") DO UPDATE SET "prunedThrough" = GREATEST("ChangeFeed"."prunedThrough", EXCLUDED."prunedThrough")
       )
       SELECT COUNT(*)::int AS "removed" FROM "removed"`,
      [pgDate(before), settled],
    );
    return rows[0]?.removed ?? 0;
  }

  private async settledHorizon(): Promise<number> {
    const { rows } = await this.session.query<{ settled: string }>(HORIZON_SQL);
    return Number(rows[0]!.settled);
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
    version: (row.version as number | null) ?? null,
    event: (row.event as ChangeRecord["event"]) ?? null,
    at: row.at as Date,
    actor: (row.actor as string | null) ?? null,
  };
}
