// SQL for the three entity tables: the only code that knows how they are stored and queried.
// Lists are keyset-paginated on (order column, id), which the indexes in schema.prisma cover;
// their filters, cursors and order are written in list-sql.ts.

import type { EntityRecordByType, EntityType, Page } from "../../domain/entities.js";
import { AlreadyExistsError, BadUserInputError } from "../../domain/errors.js";
import type { EntityStatus } from "../../domain/lifecycle.js";
import { entityList } from "../cursor.js";
import { type EntityTable, encodeColumn, quoted, rowDecoder, selectList } from "../entity-tables.js";
import { groupBy } from "../group-by.js";
import { KeysetPage } from "../keyset-page.js";
import { cursorWanted, DEFAULT_ORDER, type ListOrder } from "../list-order.js";
import { type RecordView, viewDecoder } from "../record-views.js";
import { type CountedRowReader, countedChildrenByParent, statusCountsByParent } from "../status-counts.js";
import {
  type CountedChildren,
  type CountedPage,
  type EditNote,
  type EntityFilter,
  type EntityPageRequest,
  type EntityStore,
  IdempotencyKeyTakenError,
  type NewTransition,
  type StatusCounts,
  type TransitionContext,
  type TransitionWrite,
} from "../store.js";
import { logChange, logRemoval } from "./change-log.js";
import { encodeDate } from "./codec.js";
import {
  countStatement,
  cursorSql,
  filterSearchWay,
  filterSql,
  IN_LIST,
  listStatements,
  orderBySql,
  statusCountsStatement,
} from "./list-sql.js";
import type { SearchWay } from "./search-sql.js";
import type { SqlDatabase, SqlParam, SqlRowSet } from "./sql-database.js";
import { insertTransition } from "./transition-repository.js";
import { closedAncestorSql } from "./workflow-repository.js";

/** One entity table on one SQLite connection. */
export class EntityRepository<T extends EntityType> implements EntityStore<T> {
  // The statements every read and event runs, written once: SqlDatabase finds its prepared
  // statement by the SQL text, and the same string object is found without hashing it again.
  private readonly byIdSql: string;
  private readonly byIdsSql: string;
  // One statement per kind of transition (finishes, sets an error, guarded by the parents),
  // built on first use and kept, so that SqlDatabase finds it by the same string object.
  private readonly transitionSql = new Map<string, string>();
  private readonly earlierTransitionSql: string;

  constructor(
    private readonly db: SqlDatabase,
    readonly spec: EntityTable<T>,
  ) {
    this.byIdSql = `SELECT * FROM ${spec.table} WHERE "id" = ?`;
    this.byIdsSql = `SELECT * FROM ${spec.table} WHERE "id" ${IN_LIST}`;
    this.earlierTransitionSql = `SELECT "event", "toStatus", "resultSnapshot" FROM "Transition"
       WHERE ${spec.transitionColumn} = ? AND "idempotencyKey" = ?`;
  }

  get entityType(): T {
    return this.spec.entityType;
  }

  async insert(record: EntityRecordByType[T], actor: string | null = null): Promise<void> {
    const columns = Object.keys(this.spec.columns);
    const values = columns.map((c) => encodeColumn(this.kind(c), (record as unknown as Record<string, unknown>)[c]));
    try {
      this.db.run(
        `INSERT INTO ${this.spec.table} (${columns.map(quoted).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        values,
      );
      logChange(this.db, this.entityType, record.id, { kind: "CREATED", at: record.createdAt, actor });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "SQLITE_CONSTRAINT_PRIMARYKEY") throw new AlreadyExistsError(this.entityType, record.id);
      if (code === "SQLITE_CONSTRAINT_FOREIGNKEY" && this.spec.parentColumn) {
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
    return this.db.get(`SELECT 1 AS found FROM ${this.spec.table} WHERE "id" = ?`, [id]) !== undefined;
  }

  // Reads inside a transaction hold SQLite's write lock already: no row lock to take.
  async findById(id: string): Promise<EntityRecordByType[T] | undefined> {
    const [record] = this.records(this.db.allArrays(this.byIdSql, [id]));
    return record;
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, RecordView<T>>> {
    const set = this.db.allArrays(this.byIdsSql, [JSON.stringify(ids)]);
    const views = set.rows.map(viewDecoder(this.spec, set.columns));
    return new Map(views.map((view) => [view.id, view]));
  }

  async transitionContext(id: string, idempotencyKey: string | null): Promise<TransitionContext<T> | undefined> {
    const [entity] = this.records(this.db.allArrays(this.byIdSql, [id]));
    if (!entity) return undefined;
    if (idempotencyKey === null) return { entity };
    const earlier = this.db.get<NonNullable<TransitionContext<T>["earlier"]>>(this.earlierTransitionSql, [
      id,
      idempotencyKey,
    ]);
    return earlier ? { entity, earlier } : { entity };
  }

  async list(filter: EntityFilter, page: EntityPageRequest): Promise<Page<EntityRecordByType[T]>> {
    return this.listNow(filter, page);
  }

  async count(filter: EntityFilter): Promise<number> {
    const statement = countStatement(this.db, this.spec, filter);
    return this.db.get<{ n: number }>(statement.sql, statement.params)?.n ?? 0;
  }

  /**
   * Both statements in one read transaction: SQLite then reads them from one snapshot of the
   * database, whatever another process commits between them.
   */
  async listCounted(
    filter: EntityFilter,
    page: EntityPageRequest,
    want: { withPage: boolean; withCounts: boolean },
  ): Promise<CountedPage<EntityRecordByType[T]>> {
    const read = () => {
      // The page and the counts read the search the same way: its index's matches counted once.
      const way = want.withPage ? filterSearchWay(this.db, this.spec, filter) : undefined;
      return {
        page: want.withPage ? this.listNow(filter, page, way) : emptyPage<EntityRecordByType[T]>(),
        statusCounts: want.withCounts ? this.statusCountsNow(filter, way) : undefined,
      };
    };
    return want.withPage && want.withCounts ? this.db.readSnapshot(read) : read();
  }

  private listNow(filter: EntityFilter, page: EntityPageRequest, way?: SearchWay): Page<EntityRecordByType[T]> {
    const statements = listStatements(this.db, this.spec, filter, page, way);
    let set = this.db.allArrays(statements.first.sql, statements.first.params);
    if (statements.ifShort && set.rows.length <= page.first) {
      set = this.db.allArrays(statements.ifShort.sql, statements.ifShort.params);
    }
    return this.toPage(set, set.rows, page, rowDecoder(this.spec, set.columns));
  }

  private statusCountsNow(filter: EntityFilter, way?: SearchWay): StatusCounts {
    const statement = statusCountsStatement(this.db, this.spec, filter, way);
    const rows = this.db.all<{ status: EntityStatus; n: number }>(statement.sql, statement.params);
    return new Map(rows.map((r) => [r.status, r.n]));
  }

  /**
   * The first page of children of each parent, in one statement that walks the
   * (parent, createdAt, id) index from the cursor and stops after `first` rows per parent, so a
   * page costs the same on a parent with ten children or with ten thousand. One parent (a detail
   * view) is a plain keyset query; several get a correlated subquery per parent.
   */
  async listByParents(
    parentIds: readonly string[],
    filter: EntityFilter,
    page: EntityPageRequest,
    columns?: readonly string[],
  ): Promise<Map<string, Page<RecordView<T>>>> {
    const parentColumn = this.requireParentColumn();
    const where = filterSql(this.db, this.spec, { ...filter, parentId: undefined });
    const single = parentIds.length === 1;
    const cursor = cursorSql(this.spec, page);
    const order = page.order ?? DEFAULT_ORDER;
    const orderBy = orderBySql(order, page.backward === true);
    const params: SqlParam[] = [
      single ? parentIds[0]! : JSON.stringify(parentIds),
      ...where.params,
      ...cursor.params,
      page.first + 1,
    ];
    const read = columns && cursorWanted(columns, order) ? [...columns, order.column] : columns;
    const selected = selectList(this.spec, read, '"child".');
    const set = this.db.allArrays(
      single
        ? `SELECT ${selected} FROM ${this.spec.table} AS "child"
           WHERE "${parentColumn}" = ? AND ${where.sql}${cursor.sql}
           ORDER BY ${orderBy} LIMIT ?`
        : `SELECT ${selected} FROM (SELECT DISTINCT value AS "parentId" FROM json_each(?)) AS "parent"
           JOIN ${this.spec.table} AS "child" ON "child".rowid IN (
             SELECT rowid FROM ${this.spec.table}
             WHERE "${parentColumn}" = "parent"."parentId" AND ${where.sql}${cursor.sql}
             ORDER BY ${orderBy} LIMIT ?
           )
           ORDER BY "child"."${parentColumn}", ${orderBySql(order, page.backward === true, '"child".')}`,
      params,
    );
    const parentIndex = set.columns.indexOf(parentColumn);
    const byParent = groupBy(set.rows, (row) => row[parentIndex] as string);
    const decode = viewDecoder(this.spec, set.columns);
    return new Map(
      parentIds.map((parentId) => [parentId, this.toPage(set, byParent.get(parentId) ?? [], page, decode)]),
    );
  }

  async countByParents(parentIds: readonly string[], filter: EntityFilter): Promise<Map<string, number>> {
    const parentColumn = this.requireParentColumn();
    const where = filterSql(this.db, this.spec, { ...filter, parentId: undefined });
    const rows = this.db.all<{ parentId: string; n: number }>(
      `SELECT "${parentColumn}" AS "parentId", COUNT(*) AS n FROM ${this.spec.table}
       WHERE "${parentColumn}" ${IN_LIST} AND ${where.sql} GROUP BY "${parentColumn}"`,
      [JSON.stringify(parentIds), ...where.params],
    );
    const counts = new Map(rows.map((r) => [r.parentId, r.n]));
    return new Map(parentIds.map((id) => [id, counts.get(id) ?? 0]));
  }

  async statusCountsByParents(parentIds: readonly string[], filter: EntityFilter): Promise<Map<string, StatusCounts>> {
    const parentColumn = this.requireParentColumn();
    const where = filterSql(this.db, this.spec, { ...filter, parentId: undefined });
    const rows = this.db.all<{ parentId: string; status: EntityStatus; n: number }>(
      `SELECT "${parentColumn}" AS "parentId", "status", COUNT(*) AS n FROM ${this.spec.table}
       WHERE "${parentColumn}" ${IN_LIST} AND ${where.sql} GROUP BY "${parentColumn}", "status"`,
      [JSON.stringify(parentIds), ...where.params],
    );
    return statusCountsByParent(parentIds, rows);
  }

  /**
   * One statement, so one snapshot: the status counts of every parent (grouped once, as
   * statusCountsByParents) and each parent's page (a walk, as listByParents). A parent's counts
   * ride on the first row of its page, or on one row without a child when its page is empty,
   * which alone names the parent: other rows name it in their own column.
   */
  async countedPagesByParents(
    parentIds: readonly string[],
    filter: EntityFilter,
    page: EntityPageRequest,
    byStatus: boolean,
    columns?: readonly string[],
  ): Promise<Map<string, CountedChildren<T>>> {
    const parentColumn = this.requireParentColumn();
    const table = this.spec.table;
    const where = filterSql(this.db, this.spec, { ...filter, parentId: undefined });
    const cursor = cursorSql(this.spec, page);
    const order = page.order ?? DEFAULT_ORDER;
    const backward = page.backward === true;
    const parents = JSON.stringify(parentIds);
    const read = columns && cursorWanted(columns, order) ? [...columns, order.column] : columns;
    const childOrder = orderBySql(order, backward, '"child".');
    // Counts by status as a JSON object, or the number alone, read once per parent.
    const counts = byStatus
      ? `SELECT "parentId", json_group_object("status", "n") AS "counts" FROM (
           SELECT "${parentColumn}" AS "parentId", "status", COUNT(*) AS "n" FROM ${table}
           WHERE "${parentColumn}" ${IN_LIST} AND ${where.sql} GROUP BY "${parentColumn}", "status"
         ) GROUP BY "parentId"`
      : `SELECT "${parentColumn}" AS "parentId", COUNT(*) AS "counts" FROM ${table}
         WHERE "${parentColumn}" ${IN_LIST} AND ${where.sql} GROUP BY "${parentColumn}"`;
    const set = this.db.allArrays(
      `WITH "counts" AS MATERIALIZED (${counts})
       SELECT CASE WHEN row_number() OVER (PARTITION BY "parent"."parentId" ORDER BY ${childOrder}) = 1
           THEN "counts"."counts" END AS "__counts",
         CASE WHEN "child"."id" IS NULL THEN "parent"."parentId" END AS "__emptyParent",
         ${selectList(this.spec, read, '"child".')}
       FROM (SELECT DISTINCT value AS "parentId" FROM json_each(?)) AS "parent"
       LEFT JOIN "counts" ON "counts"."parentId" = "parent"."parentId"
       LEFT JOIN ${table} AS "child" ON "child".rowid IN (
         SELECT rowid FROM ${table}
         WHERE "${parentColumn}" = "parent"."parentId" AND ${where.sql}${cursor.sql}
         ORDER BY ${orderBySql(order, backward)} LIMIT ?
       )
       ORDER BY "parent"."parentId", ${childOrder}`,
      [parents, ...where.params, parents, ...where.params, ...cursor.params, page.first + 1],
    );
    const parentIndex = set.columns.indexOf(parentColumn);
    const decode = viewDecoder(this.spec, set.columns);
    const reader: CountedRowReader<unknown[]> = {
      emptyParent: (row) => row[1] as string | null,
      parent: (row) => row[parentIndex] as string,
      counts: (row) => row[0] as string | number | null,
    };
    return countedChildrenByParent(parentIds, set.rows, reader, byStatus, (children) =>
      this.toPage(set, children, page, decode),
    );
  }

  /** Per parent, a walk of the (parent, createdAt, id) index that stops after `limit` rows. */
  async idsByParents(parentIds: readonly string[], limit: number): Promise<Map<string, string[]>> {
    const parentColumn = this.requireParentColumn();
    const rows = this.db.all<{ parentId: string; id: string }>(
      `SELECT "child"."${parentColumn}" AS "parentId", "child"."id" FROM (SELECT DISTINCT value AS "parentId" FROM json_each(?)) AS "parent"
       JOIN ${this.spec.table} AS "child" ON "child".rowid IN (
         SELECT rowid FROM ${this.spec.table} WHERE "${parentColumn}" = "parent"."parentId" ORDER BY "createdAt", "id" LIMIT ?
       )
       ORDER BY "child"."${parentColumn}", "child"."createdAt", "child"."id"`,
      [JSON.stringify(parentIds), limit],
    );
    const ids = new Map<string, string[]>(parentIds.map((id) => [id, []]));
    for (const row of rows) ids.get(row.parentId)?.push(row.id);
    return ids;
  }

  /**
   * Writes non-status fields and bumps the version. With `expectedVersion`, writes only if the
   * row is still at that version. Returns whether a row changed.
   */
  async update(
    id: string,
    fields: Partial<EntityRecordByType[T]>,
    at: Date,
    expectedVersion?: number,
    note: EditNote = { kind: "UPDATED", actor: null },
  ): Promise<boolean> {
    const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
    const sets = entries.map(([column]) => `${quoted(column)} = ?`);
    const params = entries.map(([column, value]) => encodeColumn(this.kind(column), value));
    let sql = `UPDATE ${this.spec.table} SET ${[...sets, `"version" = "version" + 1`, `"updatedAt" = ?`].join(", ")} WHERE "id" = ?`;
    params.push(encodeDate(at), id);
    if (expectedVersion !== undefined) {
      sql += ` AND "version" = ?`;
      params.push(expectedVersion);
    }
    if (this.db.run(sql, params).changes !== 1) return false;
    logChange(this.db, this.entityType, id, { kind: note.kind, at, actor: note.actor });
    return true;
  }

  /**
   * Moves the row to a new status only if it is still where the caller saw it (same status and
   * version), so a stale read can never overwrite a newer transition.
   */
  async applyTransition(write: TransitionWrite, audit: NewTransition): Promise<boolean> {
    const at = encodeDate(write.at);
    const params: SqlParam[] = [write.toStatus, at];
    if (write.finishes) params.push(at);
    params.push(write.awaitingUntil === null ? null : encodeDate(write.awaitingUntil));
    if (write.error !== undefined) params.push(write.error);
    params.push(write.id, write.fromStatus, write.fromVersion);
    if (this.db.run(this.transitionStatement(write), params).changes !== 1) return false;
    try {
      insertTransition(this.db, audit);
    } catch (error) {
      // The caller's transaction rolls the status change back with it.
      if ((error as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE") throw new IdempotencyKeyTakenError();
      throw error;
    }
    logChange(this.db, this.entityType, write.id, {
      kind: "TRANSITIONED",
      at: write.at,
      actor: audit.actor,
      event: audit.event,
    });
    return true;
  }

  async delete(id: string, at: Date): Promise<boolean> {
    // Read before the delete, which takes the descendants with it (ON DELETE CASCADE).
    logRemoval(this.db, this.entityType, id, at);
    return this.db.run(`DELETE FROM ${this.spec.table} WHERE "id" = ?`, [id]).changes === 1;
  }

  /** The conditional UPDATE of a transition of this kind; its parameters are those applyTransition binds. */
  private transitionStatement(write: TransitionWrite): string {
    const key = `${write.finishes}/${write.error !== undefined}/${write.guardAncestors === true}`;
    let sql = this.transitionSql.get(key);
    if (sql === undefined) {
      const finishedAt = write.finishes ? `COALESCE("finishedAt", ?)` : `"finishedAt"`;
      const error = write.error !== undefined ? `, "error" = ?` : "";
      const guard = write.guardAncestors ? ` AND NOT EXISTS (${closedAncestorSql(this.spec)})` : "";
      sql = `UPDATE ${this.spec.table}
        SET "status" = ?, "version" = "version" + 1, "updatedAt" = ?, "finishedAt" = ${finishedAt}, "awaitingUntil" = ?${error}
        WHERE "id" = ? AND "status" = ? AND "version" = ?${guard}`;
      this.transitionSql.set(key, sql);
    }
    return sql;
  }

  private records(set: SqlRowSet): EntityRecordByType[T][] {
    return set.rows.map(rowDecoder(this.spec, set.columns));
  }

  /**
   * `rows` (some of set's, in reading order) as a page of `page.first` items; the extra row only
   * tells there are more. A page read backward is read from its end and turned around.
   */
  private toPage<R>(
    set: SqlRowSet,
    rows: unknown[][],
    page: EntityPageRequest,
    decode: (row: unknown[]) => R,
  ): Page<R> {
    const more = rows.length > page.first;
    const pageRows = rows.slice(0, page.first);
    if (page.backward) pageRows.reverse();
    const order: ListOrder = page.order ?? DEFAULT_ORDER;
    // Cursors keep the stored text of a time: the keyset comparison runs on it, not on a Date.
    const key = set.columns.indexOf(order.column);
    const id = set.columns.indexOf("id");
    return new KeysetPage(
      pageRows.map(decode),
      page.backward ? page.before !== undefined : more,
      entityList(this.spec.entityType, order),
      () => pageRows.map((row) => [row[key] as string | number | null, row[id] as string]),
      page.backward ? more : page.after !== undefined,
    );
  }

  private requireParentColumn(): string {
    if (!this.spec.parentColumn) throw new Error(`${this.spec.entityType} has no parent`);
    return this.spec.parentColumn;
  }

  private kind(column: string) {
    return (this.spec.columns as Record<string, "text" | "int" | "bigint" | "json" | "date">)[column]!;
  }
}

function emptyPage<R>(): Page<R> {
  return { items: [], cursors: [], hasNextPage: false, hasPreviousPage: false };
}
