// SQL for the three entity tables on PostgreSQL. Same contract as the SQLite repository
// (sqlite/entity-repository.ts); what differs is the dialect and the cost model: every statement is a
// round trip, so a lifecycle event is one read and one data-modifying statement, and a batch
// of parents is one statement whatever their number.
import type { EntityRecordByType, EntityType, Page } from "../../domain/entities.js";
import { AlreadyExistsError, BadUserInputError } from "../../domain/errors.js";
import type { EntityStatus } from "../../domain/lifecycle.js";
import { entityList } from "../cursor.js";
import { type ColumnKind, type EntityTable, quoted, selectList } from "../entity-tables.js";
import { groupBy } from "../group-by.js";
import { KeysetPage } from "../keyset-page.js";
import { cursorWanted, DEFAULT_ORDER, type ListOrder, ORDER_COLUMN_KIND, orderName } from "../list-order.js";
import { isShortText } from "../search-pattern.js";
import { type CountedRowReader, countedChildrenByParent, statusCountsByParent } from "../status-counts.js";
import type {
  CountedChildren,
  CountedPage,
  EditNote,
  EntityFilter,
  EntityPageRequest,
  EntityStore,
  NewTransition,
  ReadOptions,
  StatusCounts,
  TransitionContext,
  TransitionWrite,
} from "../store.js";
import { IdempotencyKeyTakenError } from "../store.js";
import { changeAppendCte, changeReturning, changeTarget, deleteWithChangesSql, kindLiteral } from "./pg-change-log.js";
import { pgColumnValue, pgDate, pgKey, pgKeys, pgPartialRecordDecoder, pgRecordDecoder } from "./pg-codec.js";
import { constraintOf, isForeignKeyViolation, isUniqueViolation } from "./pg-errors.js";
import {
  type PgEntityFilter,
  pgCursorSql,
  pgFilterSql,
  pgListStatement,
  pgOrderBySql,
  pgSearchPhases,
  type SearchPhase,
} from "./pg-list-sql.js";
import { type PgParam, type PgSession, type PreparedStatement, preparedStatement } from "./pg-session.js";
import type { PgShortSearchStats } from "./pg-short-search-stats.js";
import { STORED_TYPE, TRANSITION_COLUMNS } from "./pg-transition-repository.js";
import { lockedParentsSql } from "./pg-workflow-repository.js";

export class PgEntityRepository<T extends EntityType> implements EntityStore<T> {
  private readonly decode: (row: Record<string, unknown>) => EntityRecordByType[T];
  private readonly columns: string[];
  // The hot statements are prepared (pg-session.ts) and name their columns: a prepared
  // `SELECT *` would fail ("cached plan must not change result type") in a process that is still
  // running when a migration adds a column.
  private readonly insertSql: PreparedStatement;
  // One prepared statement per kind of transition (finishes, sets an error, guarded by the
  // parents), built on first use.
  private readonly transitionSql = new Map<string, PreparedStatement>();
  private readonly contextSql: PreparedStatement;
  private readonly byIdSql: { read: PreparedStatement; lock: PreparedStatement };
  private readonly byIdsSql: PreparedStatement;
  /** One parent's first page of children, and a later page (unfiltered); undefined without a parent. */
  private readonly childPageSql: { first: PreparedStatement; after: PreparedStatement } | undefined;

  constructor(
    private readonly session: PgSession,
    readonly spec: EntityTable<T>,
    private readonly searchStats: PgShortSearchStats,
  ) {
    this.decode = pgRecordDecoder(spec);
    this.columns = Object.keys(spec.columns);
    const selectList = this.columns.map(quoted).join(", ");
    const actorParam = `$${this.columns.length + 1}`;
    this.insertSql = preparedStatement(`WITH "created" AS (
        INSERT INTO ${spec.table} (${selectList}) VALUES (${this.columns.map((_, i) => `$${i + 1}`).join(", ")})
        RETURNING ${changeReturning(spec.entityType)}, "createdAt"),
      ${changeAppendCte(changeTarget(session.inTransaction), "logged", spec.entityType, `"created"`, {
        kind: kindLiteral("CREATED"),
        status: `"e"."status"`,
        version: `"e"."version"`,
        event: "NULL",
        at: `"e"."createdAt"`,
        actor: `${actorParam}::text`,
      })}
      SELECT COUNT(*) FROM "created"`);
    const byId = `SELECT ${selectList} FROM ${spec.table} WHERE "id" = $1`;
    this.byIdSql = { read: preparedStatement(byId), lock: preparedStatement(`${byId} FOR UPDATE`) };
    this.byIdsSql = preparedStatement(`SELECT ${selectList} FROM ${spec.table} WHERE "id" = ANY($1::text[])`);
    this.contextSql = preparedStatement(`SELECT ${this.columns.map((c) => `e.${quoted(c)}`).join(", ")},
        t."event" AS "earlierEvent", t."toStatus" AS "earlierToStatus", t."resultSnapshot"::text AS "earlierSnapshot"
      FROM ${spec.table} e
      LEFT JOIN "Transition" t ON t.${spec.transitionColumn} = e."id" AND t."idempotencyKey" = $2
      WHERE e."id" = $1`);
    const childPage = (cursor: string, limit: string) =>
      preparedStatement(`SELECT ${selectList} FROM ${spec.table}
        WHERE "${spec.parentColumn}" = $1${cursor}
        ORDER BY "createdAt", "id" LIMIT ${limit}`);
    this.childPageSql = spec.parentColumn
      ? { first: childPage("", "$2"), after: childPage(` AND ("createdAt", "id") > ($2::timestamptz, $3)`, "$4") }
      : undefined;
  }

  get entityType(): T {
    return this.spec.entityType;
  }

  /** The filter with its search text, if of one or two characters, judged common or not. */
  private async judged(filter: PgEntityFilter): Promise<PgEntityFilter> {
    const { search } = filter;
    if (search === undefined || !isShortText(search) || filter.commonSearch !== undefined) return filter;
    return { ...filter, commonSearch: await this.searchStats.isCommon(this.spec, search) };
  }

  async insert(record: EntityRecordByType[T], actor: string | null = null): Promise<void> {
    const fields = record as unknown as Record<string, unknown>;
    const parentId = this.spec.parentColumn ? fields[this.spec.parentColumn] : undefined;
    // A parent id no row can have fails as one that names no row does, not as unstorable text.
    if (typeof parentId === "string" && pgKey(parentId) === null) throw this.noSuchParent(parentId);
    const values = this.columns.map((c) => pgColumnValue(this.kind(c), fields[c]));
    try {
      await this.session.query(this.insertSql, [...values, actor]);
    } catch (error) {
      if (isUniqueViolation(error) && constraintOf(error)?.endsWith("_pkey")) {
        throw new AlreadyExistsError(this.entityType, record.id);
      }
      if (isForeignKeyViolation(error) && this.spec.parentColumn) throw this.noSuchParent(parentId);
      throw error;
    }
  }

  async exists(id: string): Promise<boolean> {
    const { rowCount } = await this.session.query(`SELECT 1 FROM ${this.spec.table} WHERE "id" = $1`, [pgKey(id)]);
    return rowCount === 1;
  }

  async findById(id: string, options: ReadOptions = {}): Promise<EntityRecordByType[T] | undefined> {
    const lock = options.lock && this.session.inTransaction;
    const { rows } = await this.session.query(lock ? this.byIdSql.lock : this.byIdSql.read, [pgKey(id)]);
    return rows[0] === undefined ? undefined : this.decode(rows[0]);
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, EntityRecordByType[T]>> {
    // One id (a lookup the loader did not batch with others) needs no array parameter.
    const { rows } =
      ids.length === 1
        ? await this.session.query(this.byIdSql.read, [pgKey(ids[0]!)])
        : await this.session.query(this.byIdsSql, [pgKeys(ids)]);
    return new Map(rows.map((row) => [row.id as string, this.decode(row)]));
  }

  async transitionContext(id: string, idempotencyKey: string | null): Promise<TransitionContext<T> | undefined> {
    // Without a key there is no earlier transition to look for, and the read alone costs the
    // server less to plan than the join.
    const { rows } =
      idempotencyKey === null
        ? await this.session.query(this.byIdSql.read, [pgKey(id)])
        : await this.session.query(this.contextSql, [pgKey(id), pgKey(idempotencyKey)]);
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

  async list(filter: EntityFilter, page: EntityPageRequest): Promise<Page<EntityRecordByType[T]>> {
    filter = await this.judged(filter);
    let rows: Record<string, unknown>[] = [];
    for (const phase of pgSearchPhases(filter, page) ?? [undefined]) {
      rows = await this.pageRows(filter, page, phase);
      if (rows.length > page.first) break;
    }
    return this.toPage(rows, page);
  }

  private async pageRows(
    filter: PgEntityFilter,
    page: EntityPageRequest,
    phase: SearchPhase | undefined,
  ): Promise<Record<string, unknown>[]> {
    const params: PgParam[] = [];
    return (await this.session.query(pgListStatement(this.spec, filter, page, params, phase), params)).rows;
  }

  /** The first of a searched page's phases that fills it, read without counts; else the last. */
  private async fillingPhase(
    filter: PgEntityFilter,
    page: EntityPageRequest,
    phases: SearchPhase[],
  ): Promise<SearchPhase> {
    for (const phase of phases.slice(0, -1)) {
      if ((await this.pageRows(filter, page, phase)).length > page.first) return phase;
    }
    return phases[phases.length - 1]!;
  }

  async count(filter: EntityFilter): Promise<number> {
    filter = await this.judged(filter);
    const params: PgParam[] = [];
    const { rows } = await this.session.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM ${this.spec.table} WHERE ${pgFilterSql(this.spec, filter, params)}`,
      params,
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * A page and its status counts in one statement, so in one snapshot of the database: the
   * counts ride on every row of the page (or on one row of nulls when the page is empty).
   */
  async listCounted(
    filter: EntityFilter,
    page: EntityPageRequest,
    want: { withPage: boolean; withCounts: boolean },
  ): Promise<CountedPage<EntityRecordByType[T]>> {
    filter = await this.judged(filter);
    if (!want.withCounts) return { page: await this.list(filter, page) };
    const params: PgParam[] = [];
    const counts = `SELECT COALESCE(json_object_agg("status", "n"), '{}'::json) AS "statusCounts" FROM (
        SELECT "status", COUNT(*)::int AS "n" FROM ${this.spec.table}
        WHERE ${pgFilterSql(this.spec, filter, params)} GROUP BY "status") AS "g"`;
    if (!want.withPage) {
      const { rows } = await this.session.query<{ statusCounts: Record<string, number> }>(counts, params);
      return { page: emptyPage(), statusCounts: toStatusCounts(rows[0]?.statusCounts ?? {}) };
    }
    // The page and its counts in one statement, so from one snapshot. A searched page's phases
    // (pgSearchPhases) are tried without the counts first, so that the counts, which read every
    // match, are read once: with the phase that filled the page, or with the last. Should the
    // walk fill no more when read again with the counts (rows written in between), the next
    // phase is read with them too.
    const phases = pgSearchPhases(filter, page);
    const filling = phases ? await this.fillingPhase(filter, page, phases) : undefined;
    let rows: Record<string, unknown>[] = [];
    for (const phase of phases ? phases.slice(phases.indexOf(filling!)) : [undefined]) {
      const phaseParams = [...params];
      ({ rows } = await this.session.query(
        `SELECT "counts"."statusCounts", "page".* FROM (${counts}) AS "counts"
         LEFT JOIN LATERAL (${pgListStatement(this.spec, filter, page, phaseParams, phase)}) AS "page" ON TRUE
         ORDER BY ${pgOrderBySql(page.order ?? DEFAULT_ORDER, page.backward === true, '"page".')}`,
        phaseParams,
      ));
      if (rows.length > page.first) break;
    }
    const statusCounts = toStatusCounts((rows[0]?.statusCounts as Record<string, number> | undefined) ?? {});
    return { page: this.toPage(rows[0]?.id == null ? [] : rows, page), statusCounts };
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
    page: EntityPageRequest,
    columns?: readonly string[],
  ): Promise<Map<string, Page<EntityRecordByType[T]>>> {
    filter = await this.judged(filter);
    const parentColumn = this.requireParentColumn();
    const single = parentIds.length === 1;
    const params: PgParam[] = [single ? pgKey(parentIds[0]!) : pgKeys(parentIds)];
    const where = pgFilterSql(this.spec, { ...filter, parentId: undefined }, params);
    const cursor = pgCursorSql(this.spec, page, params);
    params.push(page.first + 1);
    const order = page.order ?? DEFAULT_ORDER;
    const read = columns && cursorWanted(columns, order) ? [...columns, order.column] : columns;
    // A detail view's page of every column (one parent, no filter, the default order) is
    // prepared once. Any other page without a filter is prepared for its text (select list,
    // order, one parent or many) the first time a document asks for it: a dashboard sends the
    // same few again and again, and planning each anew cost PostgreSQL more than running it.
    // Filtered pages vary with the filters given and run unnamed.
    const defaultPage =
      single && where === "TRUE" && orderName(order) === orderName(DEFAULT_ORDER) && !page.backward && !page.before;
    let statement: string | PreparedStatement;
    if (defaultPage && !read) {
      statement = page.after === undefined ? this.childPageSql!.first : this.childPageSql!.after;
    } else {
      const sql = this.childPagesSql(single, `${where}${cursor}`, params.length, read, order, page.backward === true);
      statement = where === "TRUE" ? preparedStatement(sql) : sql;
    }
    const { rows } = await this.session.query(statement, params);
    const byParent = groupBy(rows, (row) => row[parentColumn] as string);
    // Rows of some columns are the records as they are (pg parsed each value but BIGINT, which
    // pgPartialRecordDecoder turns into numbers); widening them to every column would only add
    // nulls nobody reads.
    const decode = read ? pgPartialRecordDecoder<T>(this.spec, read) : this.decode;
    return new Map(parentIds.map((id) => [id, this.toPage(byParent.get(id) ?? [], page, decode)]));
  }

  /** The statement of listByParents for a filter and columns, the limit its last parameter. */
  private childPagesSql(
    single: boolean,
    conditions: string,
    limitParam: number,
    columns: readonly string[] | undefined,
    order: ListOrder,
    backward: boolean,
  ): string {
    const parentColumn = this.requireParentColumn();
    return single
      ? `SELECT ${selectList(this.spec, columns, "")} FROM ${this.spec.table}
         WHERE "${parentColumn}" = $1 AND ${conditions}
         ORDER BY ${pgOrderBySql(order, backward)} LIMIT $${limitParam}`
      : `SELECT ${selectList(this.spec, columns, '"child".')} FROM (SELECT DISTINCT unnest($1::text[]) AS "parentId") AS "parent"
         CROSS JOIN LATERAL (
           SELECT * FROM ${this.spec.table}
           WHERE "${parentColumn}" = "parent"."parentId" AND ${conditions}
           ORDER BY ${pgOrderBySql(order, backward)} LIMIT $${limitParam}
         ) AS "child"
         ORDER BY "child"."${parentColumn}", ${pgOrderBySql(order, backward, '"child".')}`;
  }

  async countByParents(parentIds: readonly string[], filter: EntityFilter): Promise<Map<string, number>> {
    filter = await this.judged(filter);
    const parentColumn = this.requireParentColumn();
    const params: PgParam[] = [pgKeys(parentIds)];
    const where = pgFilterSql(this.spec, { ...filter, parentId: undefined }, params);
    const sql = `SELECT "${parentColumn}" AS "parentId", COUNT(*)::int AS n FROM ${this.spec.table}
       WHERE "${parentColumn}" = ANY($1::text[]) AND ${where} GROUP BY "${parentColumn}"`;
    // Unfiltered counts (a dashboard's totalCount) are prepared, as unfiltered pages are.
    const { rows } = await this.session.query<{ parentId: string; n: number }>(
      where === "TRUE" ? preparedStatement(sql) : sql,
      params,
    );
    const counts = new Map(rows.map((r) => [r.parentId, r.n]));
    return new Map(parentIds.map((id) => [id, counts.get(id) ?? 0]));
  }

  async statusCountsByParents(parentIds: readonly string[], filter: EntityFilter): Promise<Map<string, StatusCounts>> {
    filter = await this.judged(filter);
    const parentColumn = this.requireParentColumn();
    const params: PgParam[] = [pgKeys(parentIds)];
    const where = pgFilterSql(this.spec, { ...filter, parentId: undefined }, params);
    const { rows } = await this.session.query<{ parentId: string; status: EntityStatus; n: number }>(
      `SELECT "${parentColumn}" AS "parentId", "status", COUNT(*)::int AS n FROM ${this.spec.table}
       WHERE "${parentColumn}" = ANY($1::text[]) AND ${where} GROUP BY "${parentColumn}", "status"`,
      params,
    );
    return statusCountsByParent(parentIds, rows);
  }

  /**
   * One statement, so one snapshot: the status counts of every parent (grouped once, as
   * statusCountsByParents) and each parent's page (a LATERAL walk, as listByParents). A parent's
   * counts ride on the first row of its page, as text (parsed once), or on one row without a child
   * when its page is empty, which alone names the parent: other rows name it in their own column.
   */
  async countedPagesByParents(
    parentIds: readonly string[],
    filter: EntityFilter,
    page: EntityPageRequest,
    byStatus: boolean,
    columns?: readonly string[],
  ): Promise<Map<string, CountedChildren<T>>> {
    filter = await this.judged(filter);
    const parentColumn = this.requireParentColumn();
    const table = this.spec.table;
    const params: PgParam[] = [pgKeys(parentIds)];
    const where = pgFilterSql(this.spec, { ...filter, parentId: undefined }, params);
    const cursor = pgCursorSql(this.spec, page, params);
    params.push(page.first + 1);
    const order = page.order ?? DEFAULT_ORDER;
    const backward = page.backward === true;
    const read = columns && cursorWanted(columns, order) ? [...columns, order.column] : columns;
    const childOrder = pgOrderBySql(order, backward, '"child".');
    // Counts by status as a JSON object, or the number alone: text either way, read once per parent.
    const counts = byStatus
      ? `SELECT "parentId", json_object_agg("status", "n")::text AS "counts" FROM (
           SELECT "${parentColumn}" AS "parentId", "status", COUNT(*)::int AS "n" FROM ${table}
           WHERE "${parentColumn}" = ANY($1::text[]) AND ${where} GROUP BY "${parentColumn}", "status"
         ) AS "g" GROUP BY "parentId"`
      : `SELECT "${parentColumn}" AS "parentId", COUNT(*)::text AS "counts" FROM ${table}
         WHERE "${parentColumn}" = ANY($1::text[]) AND ${where} GROUP BY "${parentColumn}"`;
    const sql = `WITH "counts" AS MATERIALIZED (${counts})
       SELECT CASE WHEN row_number() OVER (PARTITION BY "parent"."parentId" ORDER BY ${childOrder}) = 1
           THEN "counts"."counts" END AS "__counts",
         CASE WHEN "child"."id" IS NULL THEN "parent"."parentId" END AS "__emptyParent",
         ${selectList(this.spec, read, '"child".')}
       FROM (SELECT DISTINCT unnest($1::text[]) AS "parentId") AS "parent"
       LEFT JOIN "counts" ON "counts"."parentId" = "parent"."parentId"
       LEFT JOIN LATERAL (
         SELECT * FROM ${table} WHERE "${parentColumn}" = "parent"."parentId" AND ${where}${cursor}
         ORDER BY ${pgOrderBySql(order, backward)} LIMIT $${params.length}
       ) AS "child" ON TRUE
       ORDER BY "parent"."parentId", ${childOrder}`;
    // Unfiltered, the text varies only with the columns, order and cursors: prepared, as pages are.
    const { rows } = await this.session.query(where === "TRUE" ? preparedStatement(sql) : sql, params);
    const decode = read ? pgPartialRecordDecoder<T>(this.spec, read) : this.decode;
    const reader: CountedRowReader<Record<string, unknown>> = {
      emptyParent: (row) => row.__emptyParent as string | null,
      parent: (row) => row[parentColumn] as string,
      counts: (row) => row.__counts as string | null,
    };
    return countedChildrenByParent(parentIds, rows, reader, byStatus, (children) =>
      this.toPage(children, page, decode),
    );
  }

  /** Per parent, a LATERAL walk of the (parent, createdAt, id) index that stops after `limit` rows. */
  async idsByParents(parentIds: readonly string[], limit: number): Promise<Map<string, string[]>> {
    const parentColumn = this.requireParentColumn();
    const { rows } = await this.session.query<{ parentId: string; id: string }>(
      `SELECT "child"."parentId", "child"."id" FROM (SELECT DISTINCT unnest($1::text[]) AS "parentId") AS "parent"
       CROSS JOIN LATERAL (
         SELECT "${parentColumn}" AS "parentId", "id", "createdAt" FROM ${this.spec.table}
         WHERE "${parentColumn}" = "parent"."parentId" ORDER BY "createdAt", "id" LIMIT $2
       ) AS "child"
       ORDER BY "child"."parentId", "child"."createdAt", "child"."id"`,
      [pgKeys(parentIds), limit],
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
    note: EditNote = { kind: "UPDATED", actor: null },
  ): Promise<boolean> {
    const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
    const params: PgParam[] = entries.map(([column, value]) => pgColumnValue(this.kind(column), value));
    const sets = entries.map(([column], i) => `${quoted(column)} = $${i + 1}`);
    params.push(pgDate(at), pgKey(id));
    let sql = `UPDATE ${this.spec.table} SET ${[...sets, `"version" = "version" + 1`, `"updatedAt" = $${params.length - 1}`].join(", ")} WHERE "id" = $${params.length}`;
    if (expectedVersion !== undefined) {
      params.push(expectedVersion);
      sql += ` AND "version" = $${params.length}`;
    }
    params.push(note.actor);
    const statement = `WITH "edited" AS (${sql} RETURNING ${changeReturning(this.entityType)}),
      ${changeAppendCte(changeTarget(this.session.inTransaction), "logged", this.entityType, `"edited"`, {
        kind: kindLiteral(note.kind),
        status: `"e"."status"`,
        version: `"e"."version"`,
        event: "NULL",
        at: `$${entries.length + 1}::timestamptz`,
        actor: `$${params.length}::text`,
      })}
      SELECT COUNT(*)::int AS "edited" FROM "edited"`;
    const { rows } = await this.session.query<{ edited: number }>(statement, params);
    return rows[0]?.edited === 1;
  }

  async applyTransition(write: TransitionWrite, audit: NewTransition): Promise<boolean> {
    const params: PgParam[] = [
      write.toStatus,
      pgDate(write.at),
      pgKey(write.id),
      write.fromStatus,
      write.fromVersion,
      STORED_TYPE[audit.entityType],
      audit.event,
      audit.version,
      audit.actor,
      audit.reason,
      audit.idempotencyKey,
      audit.resultSnapshot ?? null,
      write.awaitingUntil === null ? null : pgDate(write.awaitingUntil),
    ];
    if (write.error !== undefined) params.push(write.error);
    try {
      const { rowCount } = await this.session.query(this.transitionStatement(write), params);
      return rowCount === 1;
    } catch (error) {
      if (isUniqueViolation(error) && constraintOf(error)?.includes("idempotencyKey")) {
        throw new IdempotencyKeyTakenError();
      }
      throw error;
    }
  }

  async delete(id: string, at: Date): Promise<boolean> {
    const { rows } = await this.session.query<{ deleted: number }>(
      preparedStatement(deleteWithChangesSql(this.entityType, changeTarget(this.session.inTransaction))),
      [pgKey(id), pgDate(at)],
    );
    return rows[0]?.deleted === 1;
  }

  /**
   * One statement: the conditional update, and the audit row and change only if it moved the row. A taken
   * idempotency key fails the whole statement, so neither is written. A guarded START_WORK
   * first locks the parents (pg-workflow-repository.ts) and moves the row only if none is closed.
   */
  private transitionStatement(write: TransitionWrite): PreparedStatement {
    const key = `${write.finishes}/${write.error !== undefined}/${write.guardAncestors === true}`;
    let statement = this.transitionSql.get(key);
    if (statement === undefined) {
      const spec = this.spec;
      const finishedAt = write.finishes ? `COALESCE("finishedAt", $2)` : `"finishedAt"`;
      const error = write.error !== undefined ? `, "error" = $14` : "";
      const parents = write.guardAncestors ? lockedParentsSql(spec, "$3") : undefined;
      statement = preparedStatement(`WITH ${parents ? `${parents.ctes}, ` : ""}"moved" AS (
         UPDATE ${spec.table}
         SET "status" = $1, "version" = "version" + 1, "updatedAt" = $2, "finishedAt" = ${finishedAt}, "awaitingUntil" = $13${error}
         WHERE "id" = $3 AND "status" = $4 AND "version" = $5${parents ? ` AND NOT EXISTS (${parents.closed})` : ""}
         RETURNING ${changeReturning(spec.entityType)}
       ), ${changeAppendCte(changeTarget(this.session.inTransaction), "logged", spec.entityType, `"moved"`, {
         kind: kindLiteral("TRANSITIONED"),
         status: `"e"."status"`,
         version: `"e"."version"`,
         event: "$7",
         at: "$2",
         actor: "$9",
       })}
       INSERT INTO "Transition" (${TRANSITION_COLUMNS(spec.transitionColumn)})
       SELECT $6, "id", $7, $4, $1, $8, $2, $9, $10, $11, $12 FROM "moved"`);
      this.transitionSql.set(key, statement);
    }
    return statement;
  }

  /** Rows in reading order as a page; one read backward is turned around. */
  private toPage(
    rows: Record<string, unknown>[],
    page: EntityPageRequest,
    decode = this.decode,
  ): Page<EntityRecordByType[T]> {
    const more = rows.length > page.first;
    const pageRows = rows.slice(0, page.first);
    if (page.backward) pageRows.reverse();
    const order: ListOrder = page.order ?? DEFAULT_ORDER;
    const kind = ORDER_COLUMN_KIND[order.column];
    const keyOf = (value: unknown) =>
      value === null || value === undefined
        ? null
        : kind === "date"
          ? pgDate(value as Date)
          : kind === "int"
            ? Number(value)
            : (value as string);
    // Keys only when a cursor is read: turning each time back into text is work that most
    // reads, which select no cursor, would pay for nothing.
    return new KeysetPage(
      pageRows.map(decode),
      page.backward ? page.before !== undefined : more,
      entityList(this.spec.entityType, order),
      () => pageRows.map((row) => [keyOf(row[order.column]), row.id as string]),
      page.backward ? more : page.after !== undefined,
    );
  }

  private noSuchParent(parentId: unknown): BadUserInputError {
    const column = this.requireParentColumn();
    return new BadUserInputError(`${column} "${String(parentId)}" names nothing`, column);
  }

  private kind(column: string): ColumnKind {
    return (this.spec.columns as Record<string, ColumnKind>)[column]!;
  }

  private requireParentColumn(): string {
    if (!this.spec.parentColumn) throw new Error(`${this.spec.entityType} has no parent`);
    return this.spec.parentColumn;
  }
}

function emptyPage<R>(): Page<R> {
  return { items: [], cursors: [], hasNextPage: false, hasPreviousPage: false };
}

function toStatusCounts(counts: Record<string, number>): StatusCounts {
  return new Map(Object.entries(counts).map(([status, n]) => [status as EntityStatus, Number(n)]));
}
