// The WHERE and ORDER BY of a list of missions, jobs or cases on PostgreSQL: its filter, the
// keyset condition of its cursors and its order. Each function appends its values to `params`
// and refers to them by position.
import { BadUserInputError } from "../../domain/errors.js";
import { decodeEntityCursor } from "../cursor.js";
import type { EntityTable } from "../entity-tables.js";
import { DEFAULT_ORDER, isNullable, type ListOrder, ORDER_COLUMN_KIND, readsDescending } from "../list-order.js";
import { containsPattern, isShortText, SEARCH_WALK_ROWS, shortSearchIndexOf } from "../search-pattern.js";
import type { EntityFilter, EntityPageRequest, TimeRange } from "../store.js";
import { pgDate, pgKey, pgKeys } from "./pg-codec.js";
import type { PgParam } from "./pg-session.js";

/** A filter whose search text, if of one or two characters, has been judged common or not (pg-short-search-stats.ts). */
export interface PgEntityFilter extends EntityFilter {
  commonSearch?: boolean;
}

/** The conditions of `filter` on `table`, joined by AND ("TRUE" for none). */
export function pgFilterSql(table: EntityTable, filter: PgEntityFilter, params: PgParam[]): string {
  const conditions: string[] = ["TRUE"];
  const param = (value: PgParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { status } = filter;
  if (status && status.length === 0) conditions.push("FALSE");
  else if (status && status.length === 1) conditions.push(`"status" = ${param(status[0]!)}`);
  else if (status) conditions.push(`"status" = ANY(${param(status as string[])}::"EntityStatus"[])`);
  if (filter.parentId !== undefined) conditions.push(`"${parentColumn(table)}" = ${param(pgKey(filter.parentId))}`);
  if (filter.withoutParent !== undefined) {
    conditions.push(`"${parentColumn(table)}" IS ${filter.withoutParent ? "" : "NOT "}NULL`);
  }
  if (filter.missionId !== undefined) {
    conditions.push(`"jobId" IN (SELECT "id" FROM "Job" WHERE "missionId" = ${param(pgKey(filter.missionId))})`);
  }
  if (filter.agentName !== undefined) conditions.push(`"agentName" = ${param(pgKey(filter.agentName))}`);
  if (filter.ids !== undefined) conditions.push(`"id" = ANY(${param(pgKeys(filter.ids))}::text[])`);
  if (filter.search !== undefined) conditions.push(pgSearchSql(table, filter.search, filter.commonSearch, param));
  for (const column of ["createdAt", "updatedAt", "finishedAt"] as const) {
    rangeSql(column, filter[column], conditions, param);
  }
  return conditions.join(" AND ");
}

/**
 * ILIKE is case-insensitive for every letter; the pg_trgm GIN indexes serve it. A text of one or
 * two characters has no trigram: unless it is judged common (then ILIKE alone, over what the rest
 * of the statement reads: a page walks the list's order first, pgSearchPhases), the rows whose
 * texts hold it lowercased are taken from the table's short-text index (migration
 * "short_text_search"), once, and ILIKE decides among them. That
 * index holds the gram codes of lower() of the texts, as ILIKE compares them; lower() may
 * lengthen a character, and the first two characters of what it gives are in every text that
 * holds the whole.
 */
function pgSearchSql(
  table: EntityTable,
  text: string,
  common: boolean | undefined,
  param: (value: PgParam) => string,
): string {
  const pattern = param(containsPattern(text));
  const ilike = Object.hasOwn(table.columns, "description")
    ? `("name" ILIKE ${pattern} OR "description" ILIKE ${pattern})`
    : `"name" ILIKE ${pattern}`;
  if (!isShortText(text) || common) return ilike;
  const index = shortSearchIndexOf(table);
  const gram = `casebook_search_gram_code(left(lower(${param(text)}), 2))`;
  return `"id" = ANY(ARRAY(SELECT "id" FROM ${index} WHERE casebook_search_grams("texts") @> ARRAY[${gram}])) AND ${ilike}`;
}

function rangeSql(
  column: string,
  range: TimeRange | undefined,
  conditions: string[],
  param: (value: PgParam) => string,
): void {
  if (range?.from !== undefined) conditions.push(`"${column}" >= ${param(pgDate(range.from))}::timestamptz`);
  if (range?.to !== undefined) conditions.push(`"${column}" < ${param(pgDate(range.to))}::timestamptz`);
}

/** The keyset conditions of the page's cursors (" AND …" each), for rows read in its order. */
export function pgCursorSql(table: EntityTable, page: EntityPageRequest, params: PgParam[]): string {
  const order = page.order ?? DEFAULT_ORDER;
  const kind = ORDER_COLUMN_KIND[order.column];
  const cast = kind === "date" ? "::timestamptz" : kind === "int" ? "::bigint" : "";
  let sql = "";
  for (const [field, cursor] of [
    ["after", page.after],
    ["before", page.before],
  ] as const) {
    if (cursor === undefined) continue;
    const { key, at, id } = decodeEntityCursor(cursor, table.entityType, field, order);
    const greater = (order.direction === "ASC") === (field === "after");
    const column = `"${order.column}"`;
    const op = greater ? ">" : "<";
    const idParam = () => {
      params.push(id);
      return `$${params.length}`;
    };
    if (key === null) {
      sql += greater
        ? ` AND (${column} IS NULL AND "id" > ${idParam()})`
        : ` AND (${column} IS NOT NULL OR "id" < ${idParam()})`;
      continue;
    }
    params.push(at ? pgDate(at) : (key as PgParam));
    const keyParam = `$${params.length}${cast}`;
    const range = `(${column}, "id") ${op} (${keyParam}, ${idParam()})`;
    // A nullable column's nulls sort after every value (list-order.ts).
    sql += ` AND ${isNullable(order.column) && greater ? `(${column} IS NULL OR ${range})` : range}`;
  }
  return sql;
}

/** ORDER BY terms for rows read in `order` (descending when read backward), ties by id. */
export function pgOrderBySql(order: ListOrder, backward: boolean, prefix = ""): string {
  // PostgreSQL's own null order (last ascending, first descending) is the lists' order.
  const dir = readsDescending(order, backward) ? "DESC" : "ASC";
  return `${prefix}"${order.column}" ${dir}, ${prefix}"id" ${dir}`;
}

function parentColumn(table: EntityTable): string {
  if (!table.parentColumn) throw new BadUserInputError(`${table.entityType} has no parent to filter by`);
  return table.parentColumn;
}

/**
 * How a page of a list reads a searched list, in turn until one fills the page: "walk" reads at
 * most SEARCH_WALK_ROWS rows of the list's own order and keeps the matches, which a common text
 * fills a page with at once; "matches" takes every match through the search indexes (planned
 * apart from the order, so the planner cannot choose to walk the order's index instead) and
 * sorts them, which a rare text, or a common one whose matches all sort late ("Case 9" in names
 * "Case 0" to "Case 999999" by name), needs. Undefined: one statement, as for any other filter
 * (no search, a rare text of one or two characters, or a mission's cases in creation order).
 */
export function pgSearchPhases(filter: PgEntityFilter, page: EntityPageRequest): SearchPhase[] | undefined {
  const { search } = filter;
  if (search === undefined) return undefined;
  if (isShortText(search) && !filter.commonSearch) return undefined;
  if (readsMissionCasesByCreation(filter, page)) return undefined;
  return ["walk", "matches"];
}

export type SearchPhase = "walk" | "matches";

/** The statement of one page of a list (up to first + 1 rows, in reading order), its values appended to `params`. */
export function pgListStatement(
  table: EntityTable,
  filter: PgEntityFilter,
  page: EntityPageRequest,
  params: PgParam[],
  phase?: SearchPhase,
): string {
  const order = page.order ?? DEFAULT_ORDER;
  const orderBy = pgOrderBySql(order, page.backward === true);
  filter = withoutBoundsOfCursors(table, filter, page);
  if (readsMissionCasesByCreation(filter, page))
    return missionCasesByCreation(table, filter.missionId!, { ...filter, missionId: undefined }, page, params);
  if (phase === "walk") {
    const rest = pgFilterSql(table, { ...filter, search: undefined }, params);
    const cursor = pgCursorSql(table, page, params);
    const search = pgFilterSql(table, { search: filter.search, commonSearch: true }, params);
    params.push(page.first + 1);
    return `SELECT * FROM (
        SELECT * FROM ${table.table} WHERE ${rest}${cursor} ORDER BY ${orderBy} LIMIT ${SEARCH_WALK_ROWS}
      ) AS "walk" WHERE ${search} ORDER BY ${orderBy} LIMIT $${params.length}`;
  }
  const where = pgFilterSql(table, phase === "matches" ? { ...filter, commonSearch: false } : filter, params);
  const cursor = pgCursorSql(table, page, params);
  params.push(page.first + 1);
  const limit = `$${params.length}`;
  if (phase !== "matches") {
    return `SELECT * FROM ${table.table} WHERE ${where}${cursor}
      ORDER BY ${orderBy} LIMIT ${limit}`;
  }
  // OFFSET 0 keeps the subquery a plan of its own: the matches, found without regard to the
  // order. Only their ids and order keys are sorted (a sort of narrow rows, a third faster over
  // 100,000 matches); the page's rows are read by id after.
  return `SELECT "row".* FROM (
        SELECT "id" FROM (
          SELECT "id", "${order.column}" FROM ${table.table} WHERE ${where}${cursor} OFFSET 0
        ) AS "matches" ORDER BY ${orderBy} LIMIT ${limit}
      ) AS "top" JOIN ${table.table} AS "row" ON "row"."id" = "top"."id"
      ORDER BY ${pgOrderBySql(order, page.backward === true, '"row".')}`;
}

/**
 * The filter without the ends of its time range on the order's column that the page's cursors
 * already imply: `("finishedAt", "id") < ($1, $2)` holds only below $1, so with $1 before the
 * range's `to`, `"finishedAt" < to` adds nothing. Kept, it costs a whole index: a btree scan
 * cannot tell which of a plain bound and a row comparison on the same column is the tighter, so
 * it stops at the plain one and filters every entry up to it (a page deep in a job's failed cases
 * of a long range read the whole finishedAt index). The rows matched are the same.
 */
function withoutBoundsOfCursors(table: EntityTable, filter: EntityFilter, page: EntityPageRequest): EntityFilter {
  const order = page.order ?? DEFAULT_ORDER;
  if (ORDER_COLUMN_KIND[order.column] !== "date") return filter;
  const column = order.column as "createdAt" | "updatedAt" | "finishedAt";
  let range = filter[column];
  for (const [field, cursor] of [
    ["after", page.after],
    ["before", page.before],
  ] as const) {
    if (cursor === undefined || range === undefined) continue;
    const { at } = decodeEntityCursor(cursor, table.entityType, field, order);
    if (at === undefined) continue;
    const greater = (order.direction === "ASC") === (field === "after");
    // Read upward from a cursor, a nullable column's NULLs stay in (pgCursorSql): `from` keeps them out.
    if (greater && !isNullable(column) && range.from !== undefined && at >= range.from)
      range = { ...range, from: undefined };
    if (!greater && range.to !== undefined && at < range.to) range = { ...range, to: undefined };
  }
  return range === filter[column] ? filter : { ...filter, [column]: range };
}

/** Whether the page is of a mission's cases in creation order (missionCasesByCreation). */
function readsMissionCasesByCreation(filter: EntityFilter, page: EntityPageRequest): boolean {
  return filter.missionId !== undefined && (page.order ?? DEFAULT_ORDER).column === "createdAt";
}

/**
 * A page of a mission's cases in creation order: the first rows of each of its jobs, each read
 * from the ("jobId", "createdAt", "id") index, merged. The plain statement reads and sorts every
 * case of the mission (10,000 rows for a page of 50); this reads at most a page per job. The
 * columns of the inner statement are the case's: unqualified names resolve to its own table.
 */
function missionCasesByCreation(
  table: EntityTable,
  missionId: string,
  rest: EntityFilter,
  page: EntityPageRequest,
  params: PgParam[],
): string {
  const order = page.order ?? DEFAULT_ORDER;
  const backward = page.backward === true;
  const where = pgFilterSql(table, rest, params);
  const cursor = pgCursorSql(table, page, params);
  params.push(pgKey(missionId));
  const mission = `$${params.length}`;
  params.push(page.first + 1);
  const limit = `$${params.length}`;
  return `SELECT "c".* FROM "Job" AS "j" CROSS JOIN LATERAL (
        SELECT * FROM ${table.table} WHERE "jobId" = "j"."id" AND ${where}${cursor}
        ORDER BY ${pgOrderBySql(order, backward)} LIMIT ${limit}) AS "c"
      WHERE "j"."missionId" = ${mission}
      ORDER BY ${pgOrderBySql(order, backward, '"c".')} LIMIT ${limit}`;
}
