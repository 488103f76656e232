// SQL for the three entity tables on PostgreSQL. Same contract as the SQLite repository
// (sqlite/entity-repository.ts); what differs is the dialect and the cost model: every statement is a
// round trip, so a lifecycle event is one read and one data-modifying statement, and a batch
// of parents is one statement whatever their number.
import type { EntityRecordByType, EntityType, Page } from "../../domain/entities.js";
import { AlreadyExistsError, BadUserInputError } from "../../domain/errors.js";
import { decodeCursor } from "../cursor.js";
import { type ColumnKind, type EntityTable, quoted } from "../entity-tables.js";
import { groupBy } from "../group-by.js";
import { KeysetPage } from "../keyset-page.js";
import type {
  EntityFilter,
  EntityStore,
  NewTransition,
  PageRequest,
  ReadOptions,
  TransitionContext,
  TransitionWrite,
} from "../store.js";
import { IdempotencyKeyTakenError } from "../store.js";
import { pgColumnValue, pgDate, pgRecordDecoder } from "./pg-codec.js";
import { constraintOf, isForeignKeyViolation, isUniqueViolation } from "./pg-errors.js";
import type { PgParam, PgSession } from "./pg-session.js";
import { STORED_TYPE, TRANSITION_COLUMNS } from "./pg-transition-repository.js";

export class PgEntityRepository<T extends EntityType> implements EntityStore<T> {
  private readonly decode: (row: Record<string, unknown>) => EntityRecordByType[T];
  private readonly columns: string[];
  private readonly insertSql: string;
  private readonly transitionSql: { moves: string; finishes: string };
  private readonly contextSql: string;
  private readonly byIdSql: string;

  constructor(
    private readonly session: PgSession,
    readonly spec: EntityTable<T>,
  ) {
    this.decode = pgRecordDecoder(spec);
    this.columns = Object.keys(spec.columns);
    this.insertSql = `INSERT INTO ${spec.table} (${this.columns.map(quoted).join(", ")})
      VALUES (${this.columns.map((_, i) => `$${i + 1}`).join(", ")})`;
    // One statement: the conditional update, and the audit row only if it moved the row.
    // A taken idempotency key fails the whole statement, so neither is written.
    const transition = (finishedAt: string) =>
      `WITH "moved" AS (
         UPDATE ${spec.table}
         SET "status" = $1, "version" = "version" + 1, "updatedAt" = $2, "finishedAt" = ${finishedAt}
         WHERE "id" = $3 AND "status" = $4 AND "version" = $5
         RETURNING "id"
       )
       INSERT INTO "Transition" (${TRANSITION_COLUMNS(spec.transitionColumn)})
       SELECT $6, "id", $7, $4, $1, $8, $2, $9, $10, $11, $12 FROM "moved"`;
    this.transitionSql = { moves: transition(`"finishedAt"`), finishes: transition(`COALESCE("finishedAt", $2)`) };
    this.byIdSql = `SELECT * FROM ${spec.table} WHERE "id" = $1`;
    this.contextSql = `SELECT e.*, t."event" AS "earlierEvent", t."toStatus" AS "earlierToStatus",
        t."resultSnapshot"::text AS "earlierSnapshot"
      FROM ${spec.table} e
      LEFT JOIN "Transition" t ON t.${spec.transitionColumn} = e."id" AND t."idempotencyKey" = $2
      WHERE e."id" = $1`;
  }

  get entityType(): T {
    return this.spec.entityType;
  }

  async insert(record: EntityRecordByType[T]): Promise<void> {
    const values = this.columns.map((c) =>
      pgColumnValue(this.kind(c), (record as unknown as Record<string, unknown>)[c]),
    );
    try {
      await this.session.query(this.insertSql, values);
    } catch (error) {
      if (isUniqueViolation(error) && constraintOf(error)?.endsWith("_pkey")) {
        throw new AlreadyExistsError(this.entityType, record.id);
      }
      if (isForeignKeyViolation(error) && this.spec.parentColumn) {
        const parentId = (record as unknown as Record<string, unknown>)[this.spec.parentColumn];
        throw new BadUserInputError(
          `${this.spec.parentColumn} "${String(parentId)}" names nothing`,
          this.spec.parentColumn,
        );
      }
      throw error;
    }
  }

  async exists(id: string): Promise<boolean> {
    const { rowCount } = await this.session.query(`SELECT 1 FROM ${this.spec.table} WHERE "id" = $1`, [id]);
    return rowCount === 1;
  }

  async findById(id: string, options: ReadOptions = {}): Promise<EntityRecordByType[T] | undefined> {
    const lock = options.lock && this.session.inTransaction ? " FOR UPDATE" : "";
    const { rows } = await this.session.query(`SELECT * FROM ${this.spec.table} WHERE "id" = $1${lock}`, [id]);
    return rows[0] === undefined ? undefined : this.decode(rows[0]);
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, EntityRecordByType[T]>> {
    const { rows } = await this.session.query(`SELECT * FROM ${this.spec.table} WHERE "id" = ANY($1::text[])`, [ids]);
    return new Map(rows.map((row) => [row.id as string, this.decode(row)]));
  }

  async transitionContext(id: string, idempotencyKey: string | null): Promise<TransitionContext<T> | undefined> {
    // Without a key there is no earlier transition to look for, and the read alone costs the
    // server less to plan than the join.
    const { rows } =
      idempotencyKey === null
        ? await this.session.query(this.byIdSql, [id])
        : await this.session.query(this.contextSql, [id, idempotencyKey]);
    const row = rows[0];
    if (row === undefined) return undefined;
    const entity = this.decode(row);
    if (row.earlierEvent == null) return { entity };
    return {
      entity,
      earlier: {
        event: row.earlierEvent as never,
        toStatus: row.earlierToStatus as never,
        resultSnapshot: (row.earlierSnapshot as string | null) ?? null,
      },
    };
  }

  async list(filter: EntityFilter, page: PageRequest): Promise<Page<EntityRecordByType[T]>> {
    const params: PgParam[] = [];
    let sql = `SELECT * FROM ${this.spec.table} WHERE ${this.filterSql(filter, params)}`;
    sql += this.cursorSql(page, params);
    params.push(page.first + 1);
    sql += ` ORDER BY "createdAt", "id" LIMIT $${params.length}`;
    const { rows } = await this.session.query(sql, params);
    return this.toPage(rows, page.first);
  }

  async count(filter: EntityFilter): Promise<number> {
    const params: PgParam[] = [];
    const { rows } = await this.session.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM ${this.spec.table} WHERE ${this.filterSql(filter, params)}`,
      params,
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * The first page of children of each parent in one statement: a LATERAL subquery per parent
   * walks the (parent, createdAt, id) index from the cursor and stops after `first` rows. One
   * parent (a detail view) is a plain keyset query on the same index, which the server plans in
   * a fraction of the time.
   */
  async listByParents(
    parentIds: readonly string[],
    filter: EntityFilter,
    page: PageRequest,
  ): Promise<Map<string, Page<EntityRecordByType[T]>>> {
    const parentColumn = this.requireParentColumn();
    const single = parentIds.length === 1;
    const params: PgParam[] = [single ? parentIds[0]! : parentIds];
    const where = this.filterSql({ status: filter.status }, params);
    const cursor = this.cursorSql(page, params);
    params.push(page.first + 1);
    const { rows } = await this.session.query(
      single
        ? `SELECT * FROM ${this.spec.table}
           WHERE "${parentColumn}" = $1 AND ${where}${cursor}
           ORDER BY "createdAt", "id" LIMIT $${params.length}`
        : `SELECT "child".* FROM (SELECT DISTINCT unnest($1::text[]) AS "parentId") AS "parent"
           CROSS JOIN LATERAL (
             SELECT * FROM ${this.spec.table}
             WHERE "${parentColumn}" = "parent"."parentId" AND ${where}${cursor}
             ORDER BY "createdAt", "id" LIMIT $${params.length}
           ) AS "child"
           ORDER BY "child"."${parentColumn}", "child"."createdAt", "child"."id"`,
      params,
    );
    const byParent = groupBy(rows, (row) => row[parentColumn] as string);
    return new Map(parentIds.map((id) => [id, this.toPage(byParent.get(id) ?? [], page.first)]));
  }

  async countByParents(parentIds: readonly string[], filter: EntityFilter): Promise<Map<string, number>> {
    const parentColumn = this.requireParentColumn();
    const params: PgParam[] = [parentIds];
    const where = this.filterSql({ status: filter.status }, params);
    const { rows } = await this.session.query<{ parentId: string; n: number }>(
      `SELECT "${parentColumn}" AS "parentId", COUNT(*)::int AS n FROM ${this.spec.table}
       WHERE "${parentColumn}" = ANY($1::text[]) AND ${where} GROUP BY "${parentColumn}"`,
      params,
    );
    const counts = new Map(rows.map((r) => [r.parentId, r.n]));
    return new Map(parentIds.map((id) => [id, counts.get(id) ?? 0]));
  }

  async idsByParents(parentIds: readonly string[]): Promise<Map<string, string[]>> {
    const parentColumn = this.requireParentColumn();
    const { rows } = await this.session.query<{ parentId: string; id: string }>(
      `SELECT "${parentColumn}" AS "parentId", "id" FROM ${this.spec.table}
       WHERE "${parentColumn}" = ANY($1::text[]) ORDER BY "${parentColumn}", "createdAt", "id"`,
      [parentIds],
    );
    const ids = new Map<string, string[]>(parentIds.map((id) => [id, []]));
    for (const row of rows) ids.get(row.parentId)?.push(row.id);
    return ids;
  }

  async update(
    id: string,
    fields: Partial<EntityRecordByType[T]>,
    at: Date,
    expectedVersion?: number,
  ): Promise<boolean> {
    const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
    const params: PgParam[] = entries.map(([column, value]) => pgColumnValue(this.kind(column), value));
    const sets = entries.map(([column], i) => `${quoted(column)} = $${i + 1}`);
    params.push(pgDate(at), id);
    let sql = `UPDATE ${this.spec.table} SET ${[...sets, `"version" = "version" + 1`, `"updatedAt" = $${params.length - 1}`].join(", ")} WHERE "id" = $${params.length}`;
    if (expectedVersion !== undefined) {
      params.push(expectedVersion);
      sql += ` AND "version" = $${params.length}`;
    }
    const { rowCount } = await this.session.query(sql, params);
    return rowCount === 1;
  }

  async applyTransition(write: TransitionWrite, audit: NewTransition): Promise<boolean> {
    try {
      const { rowCount } = await this.session.query(
        write.finishes ? this.transitionSql.finishes : this.transitionSql.moves,
        [
          write.toStatus,
          pgDate(write.at),
          write.id,
          write.fromStatus,
          write.fromVersion,
          STORED_TYPE[audit.entityType],
          audit.event,
          audit.version,
          audit.actor,
          audit.reason,
          audit.idempotencyKey,
          audit.resultSnapshot ?? null,
        ],
      );
      return rowCount === 1;
    } catch (error) {
      if (isUniqueViolation(error) && constraintOf(error)?.includes("idempotencyKey")) {
        throw new IdempotencyKeyTakenError();
      }
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.session.query(`DELETE FROM ${this.spec.table} WHERE "id" = $1`, [id]);
    return rowCount === 1;
  }

  /** Conditions of `filter`, with their values appended to `params`. */
  private filterSql(filter: EntityFilter, params: PgParam[]): string {
    const conditions: string[] = ["TRUE"];
    if (filter.status && filter.status.length === 1) {
      params.push(filter.status[0]!);
      conditions.push(`"status" = $${params.length}`);
    } else if (filter.status && filter.status.length > 1) {
      params.push(filter.status);
      conditions.push(`"status" = ANY($${params.length}::"EntityStatus"[])`);
    }
    if (filter.parentId !== undefined) {
      params.push(filter.parentId);
      conditions.push(`"${this.requireParentColumn()}" = $${params.length}`);
    }
    if (filter.agentName !== undefined) {
      params.push(filter.agentName);
      conditions.push(`"agentName" = $${params.length}`);
    }
    return conditions.join(" AND ");
  }

  private cursorSql(page: PageRequest, params: PgParam[]): string {
    if (page.after === undefined) return "";
    const [createdAt, id] = decodeCursor<[string, string]>(page.after, ["string", "string"]);
    if (Number.isNaN(Date.parse(createdAt)))
      throw new BadUserInputError(`"after" is not a cursor from this list`, "after");
    params.push(createdAt, id);
    return ` AND ("createdAt", "id") > ($${params.length - 1}::timestamptz, $${params.length})`;
  }

  private toPage(rows: Record<string, unknown>[], first: number): Page<EntityRecordByType[T]> {
    const pageRows = rows.slice(0, first);
    return new KeysetPage(
      pageRows.map(this.decode),
      rows.length > first,
      pageRows.map((row) => [pgDate(row.createdAt as Date), row.id as string]),
    );
  }

  private kind(column: string): ColumnKind {
    return (this.spec.columns as Record<string, ColumnKind>)[column]!;
  }

  private requireParentColumn(): string {
    if (!this.spec.parentColumn) throw new Error(`${this.spec.entityType} has no parent`);
    return this.spec.parentColumn;
  }
}
