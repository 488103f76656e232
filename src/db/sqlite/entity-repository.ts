// SQL for the three entity tables: the only code that knows how they are stored and queried.
// Lists are keyset-paginated on (createdAt, id), which the indexes in schema.prisma cover.
// Lists of values (ids, statuses) are bound as one JSON array, so each query has one shape
// whatever the number of values, and is prepared once.

import type { EntityRecordByType, EntityType, Page } from "../../domain/entities.js";
import { AlreadyExistsError, BadUserInputError } from "../../domain/errors.js";
import { decodeEntityCursor, entityList } from "../cursor.js";
import { type EntityTable, encodeColumn, quoted, rowDecoder, selectList } from "../entity-tables.js";
import { groupBy } from "../group-by.js";
import { KeysetPage } from "../keyset-page.js";
import { type RecordView, viewDecoder } from "../record-views.js";
import {
  type EditNote,
  type EntityFilter,
  type EntityStore,
  IdempotencyKeyTakenError,
  type NewTransition,
  type PageRequest,
  type TransitionContext,
  type TransitionWrite,
} from "../store.js";
import { logChange, logRemoval } from "./change-log.js";
import { encodeDate } from "./codec.js";
import type { SqlDatabase, SqlParam, SqlRowSet } from "./sql-database.js";
import { insertTransition } from "./transition-repository.js";
import { closedAncestorSql } from "./workflow-repository.js";

const IN_LIST = "IN (SELECT value FROM json_each(?))";

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

  async list(filter: EntityFilter, page: PageRequest): Promise<Page<EntityRecordByType[T]>> {
    const where = this.filterSql(filter);
    const params = [...where.params];
    let sql = `SELECT * FROM ${this.spec.table} WHERE ${where.sql}`;
    if (page.after !== undefined) {
      const { createdAt, id } = decodeEntityCursor(page.after, this.spec.entityType);
      sql += ` AND ("createdAt", "id") > (?, ?)`;
      params.push(createdAt, id);
    }
    sql += ` ORDER BY "createdAt", "id" LIMIT ?`;
    params.push(page.first + 1);
    const set = this.db.allArrays(sql, params);
    return this.toPage(set, set.rows, page.first, rowDecoder(this.spec, set.columns));
  }

  async count(filter: EntityFilter): Promise<number> {
    const where = this.filterSql(filter);
    const row = this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${this.spec.table} WHERE ${where.sql}`,
      where.params,
    );
    return row?.n ?? 0;
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
    page: PageRequest,
    columns?: readonly string[],
  ): Promise<Map<string, Page<RecordView<T>>>> {
    const parentColumn = this.requireParentColumn();
    const where = this.filterSql({ status: filter.status });
    const single = parentIds.length === 1;
    const params: SqlParam[] = [single ? parentIds[0]! : JSON.stringify(parentIds), ...where.params];
    let cursorSql = "";
    if (page.after !== undefined) {
      const { createdAt, id } = decodeEntityCursor(page.after, this.spec.entityType);
      cursorSql = ` AND ("createdAt", "id") > (?, ?)`;
      params.push(createdAt, id);
    }
    params.push(page.first + 1);
    const selected = selectList(this.spec, columns, '"child".');
    const set = this.db.allArrays(
      single
        ? `SELECT ${selected} FROM ${this.spec.table} AS "child"
           WHERE "${parentColumn}" = ? AND ${where.sql}${cursorSql}
           ORDER BY "createdAt", "id" LIMIT ?`
        : `SELECT ${selected} FROM (SELECT DISTINCT value AS "parentId" FROM json_each(?)) AS "parent"
           JOIN ${this.spec.table} AS "child" ON "child".rowid IN (
             SELECT rowid FROM ${this.spec.table}
             WHERE "${parentColumn}" = "parent"."parentId" AND ${where.sql}${cursorSql}
             ORDER BY "createdAt", "id" LIMIT ?
           )
           ORDER BY "child"."${parentColumn}", "child"."createdAt", "child"."id"`,
      params,
    );
    const parentIndex = set.columns.indexOf(parentColumn);
    const byParent = groupBy(set.rows, (row) => row[parentIndex] as string);
    const decode = viewDecoder(this.spec, set.columns);
    return new Map(
      parentIds.map((parentId) => [parentId, this.toPage(set, byParent.get(parentId) ?? [], page.first, decode)]),
    );
  }

  async countByParents(parentIds: readonly string[], filter: EntityFilter): Promise<Map<string, number>> {
    const parentColumn = this.requireParentColumn();
    const where = this.filterSql({ status: filter.status });
    const rows = this.db.all<{ parentId: string; n: number }>(
      `SELECT "${parentColumn}" AS "parentId", COUNT(*) AS n FROM ${this.spec.table}
       WHERE "${parentColumn}" ${IN_LIST} AND ${where.sql} GROUP BY "${parentColumn}"`,
      [JSON.stringify(parentIds), ...where.params],
    );
    const counts = new Map(rows.map((r) => [r.parentId, r.n]));
    return new Map(parentIds.map((id) => [id, counts.get(id) ?? 0]));
  }

  /** Ids of all children of each parent, in list order. */
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

  private filterSql(filter: EntityFilter): { sql: string; params: SqlParam[] } {
    const conditions: string[] = ["1 = 1"];
    const params: SqlParam[] = [];
    if (filter.status && filter.status.length === 1) {
      // One status (the common filter) as an equality, so the (status, createdAt, id) index
      // yields rows already in list order and the page stops after `first` rows, with no sort.
      conditions.push(`"status" = ?`);
      params.push(filter.status[0]!);
    } else if (filter.status && filter.status.length > 1) {
      conditions.push(`"status" ${IN_LIST}`);
      params.push(JSON.stringify(filter.status));
    }
    if (filter.parentId !== undefined) {
      conditions.push(`"${this.requireParentColumn()}" = ?`);
      params.push(filter.parentId);
    }
    if (filter.agentName !== undefined) {
      conditions.push(`"agentName" = ?`);
      params.push(filter.agentName);
    }
    return { sql: conditions.join(" AND "), params };
  }

  private records(set: SqlRowSet): EntityRecordByType[T][] {
    return set.rows.map(rowDecoder(this.spec, set.columns));
  }

  /** `rows` (some of set's) as a page of `first` items; the extra row only tells there are more. */
  private toPage<R>(set: SqlRowSet, rows: unknown[][], first: number, decode: (row: unknown[]) => R): Page<R> {
    const pageRows = rows.slice(0, first);
    // Cursors keep the stored createdAt text: the keyset comparison runs on it, not on a Date.
    const createdAt = set.columns.indexOf("createdAt");
    const id = set.columns.indexOf("id");
    return new KeysetPage(pageRows.map(decode), rows.length > first, entityList(this.spec.entityType), () =>
      pageRows.map((row) => [row[createdAt] as string, row[id] as string]),
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
