// The WHERE and ORDER BY of a list of missions, jobs or cases on SQLite: its filter, the keyset
// condition of its cursors and its order. Lists of values (ids, statuses) are bound as one JSON
// array, so a statement has one shape whatever their number and is prepared once.
import { BadUserInputError } from "../../domain/errors.js";
import { decodeEntityCursor } from "../cursor.js";
import type { EntityTable } from "../entity-tables.js";
import { DEFAULT_ORDER, isNullable, type ListOrder, readsDescending } from "../list-order.js";
import { SEARCH_WALK_ROWS } from "../search-pattern.js";
import type { EntityFilter, EntityPageRequest, TimeRange } from "../store.js";
import { encodeDate } from "./codec.js";
import { type SearchWay, searchMatchesSql, searchSql, searchWay } from "./search-sql.js";
import type { SqlDatabase, SqlParam } from "./sql-database.js";

export const IN_LIST = "IN (SELECT value FROM json_each(?))";

export interface SqlPart {
  sql: string;
  params: SqlParam[];
}

/**
 * The conditions of `filter` on `table`, joined by AND ("1 = 1" for none). A search reads its
 * rows the `way` given, or else asks `db` how many rows its index names (search-sql.ts).
 */
export function filterSql(db: SqlDatabase, table: EntityTable, filter: EntityFilter, way?: SearchWay): SqlPart {
  const conditions: string[] = ["1 = 1"];
  const params: SqlParam[] = [];
  const { status } = filter;
  if (status && status.length === 0) conditions.push("0 = 1");
  else if (status && status.length === 1) {
    // One status (the common filter) as an equality, so the (status, createdAt, id) index
    // yields rows already in list order and the page stops after `first` rows, with no sort.
    conditions.push(`"status" = ?`);
    params.push(status[0]!);
  } else if (status) {
    conditions.push(`"status" ${IN_LIST}`);
    params.push(JSON.stringify(status));
  }
  if (filter.parentId !== undefined) {
    conditions.push(`"${parentColumn(table)}" = ?`);
    params.push(filter.parentId);
  }
  if (filter.withoutParent !== undefined) {
    conditions.push(`"${parentColumn(table)}" IS ${filter.withoutParent ? "" : "NOT "}NULL`);
  }
  if (filter.missionId !== undefined) {
    conditions.push(`"jobId" IN (SELECT "id" FROM "Job" WHERE "missionId" = ?)`);
    params.push(filter.missionId);
  }
  if (filter.agentName !== undefined) {
    conditions.push(`"agentName" = ?`);
    params.push(filter.agentName);
  }
  if (filter.ids !== undefined) {
    conditions.push(`"id" ${IN_LIST}`);
    params.push(JSON.stringify(filter.ids));
  }
  if (filter.search !== undefined) {
    const search = searchSql(table, filter.search, way ?? searchWay(db, table, filter.search));
    conditions.push(search.sql);
    params.push(...search.params);
  }
  for (const column of ["createdAt", "updatedAt", "finishedAt"] as const) {
    rangeSql(column, filter[column], conditions, params);
  }
  return { sql: conditions.join(" AND "), params };
}

// Times are stored as ISO 8601 text of one width (codec.ts), which sorts as the times do.
function rangeSql(column: string, range: TimeRange | undefined, conditions: string[], params: SqlParam[]): void {
  if (range?.from !== undefined) {
    conditions.push(`"${column}" >= ?`);
    params.push(encodeDate(range.from));
  }
  if (range?.to !== undefined) {
    conditions.push(`"${column}" < ?`);
    params.push(encodeDate(range.to));
  }
}

/** The keyset conditions of the page's cursors (" AND …" each), for rows read in `order`. */
export function cursorSql(table: EntityTable, page: EntityPageRequest, prefix = ""): SqlPart {
  const order = page.order ?? DEFAULT_ORDER;
  const parts: string[] = [];
  const params: SqlParam[] = [];
  for (const [field, cursor] of [
    ["after", page.after],
    ["before", page.before],
  ] as const) {
    if (cursor === undefined) continue;
    const { key, id } = decodeEntityCursor(cursor, table.entityType, field, order);
    // Rows after `after` in the list's order, rows before `before`.
    const greater = (order.direction === "ASC") === (field === "after");
    const part = keysetCondition(`${prefix}"${order.column}"`, `${prefix}"id"`, isNullable(order.column), key, greater);
    parts.push(` AND ${part.sql}`);
    params.push(...part.params, id);
  }
  return { sql: parts.join(""), params };
}

/**
 * Rows whose (column, id) comes after (`greater`) or before (key, id) in ascending order, where a
 * nullable column's null sorts after every value. The id's parameter is the caller's to add last.
 */
function keysetCondition(column: string, id: string, nullable: boolean, key: unknown, greater: boolean): SqlPart {
  const op = greater ? ">" : "<";
  if (!nullable) return { sql: `(${column}, ${id}) ${op} (?, ?)`, params: [key as SqlParam] };
  if (key === null) {
    return greater
      ? { sql: `(${column} IS NULL AND ${id} > ?)`, params: [] }
      : { sql: `(${column} IS NOT NULL OR ${id} < ?)`, params: [] };
  }
  return greater
    ? { sql: `(${column} IS NULL OR (${column}, ${id}) > (?, ?))`, params: [key as SqlParam] }
    : { sql: `((${column}, ${id}) < (?, ?))`, params: [key as SqlParam] };
}

/** ORDER BY terms for rows read in `order` (descending when read backward), ties by id. */
export function orderBySql(order: ListOrder, backward: boolean, prefix = ""): string {
  const desc = readsDescending(order, backward);
  const dir = desc ? "DESC" : "ASC";
  const nulls = isNullable(order.column) ? (desc ? " NULLS FIRST" : " NULLS LAST") : "";
  return `${prefix}"${order.column}" ${dir}${nulls}, ${prefix}"id" ${dir}`;
}

function parentColumn(table: EntityTable): string {
  if (!table.parentColumn) throw new BadUserInputError(`${table.entityType} has no parent to filter by`);
  return table.parentColumn;
}

/**
 * The statement of one page of a list (up to first + 1 rows, in reading order), and, for a
 * search for a common text, the one to run when the first returns fewer. A common text fills a
 * page at once from the list's own order, unless its matches all sort late ("Case 9" in names
 * "Case 0" to "Case 999999" by name): the first statement reads SEARCH_WALK_ROWS rows of the
 * list's order at most, and the second takes every match from the index and sorts them.
 */
export function listStatements(
  db: SqlDatabase,
  table: EntityTable,
  filter: EntityFilter,
  page: EntityPageRequest,
  way = filterSearchWay(db, table, filter),
): { first: SqlPart; ifShort?: SqlPart } {
  if (way !== "scan") return { first: listStatement(db, table, filter, page, way) };
  const orderBy = orderBySql(page.order ?? DEFAULT_ORDER, page.backward === true);
  const rest = filterSql(db, table, { ...filter, search: undefined });
  const cursor = cursorSql(table, page);
  const search = searchSql(table, filter.search!, "scan");
  return {
    first: {
      sql: `SELECT * FROM (
          SELECT * FROM ${table.table} WHERE ${rest.sql}${cursor.sql} ORDER BY ${orderBy} LIMIT ${SEARCH_WALK_ROWS}
        ) WHERE ${search.sql} ORDER BY ${orderBy} LIMIT ?`,
      params: [...rest.params, ...cursor.params, ...search.params, page.first + 1],
    },
    ifShort: listStatement(db, table, filter, page, "index"),
  };
}

/** The statement of one page of a list: up to first + 1 rows, in reading order. */
function listStatement(
  db: SqlDatabase,
  table: EntityTable,
  filter: EntityFilter,
  page: EntityPageRequest,
  way: SearchWay | undefined,
): SqlPart {
  const orderBy = orderBySql(page.order ?? DEFAULT_ORDER, page.backward === true);
  const cursor = cursorSql(table, page);
  if (filter.search !== undefined && way === "index") {
    // The index's matches joined to the rows (CROSS JOIN: in that order), LIKE deciding.
    const matches = searchMatchesSql(table, filter.search);
    const where = filterSql(db, table, filter, "scan");
    return {
      sql: `SELECT ${table.table}.* FROM ${matches.sql} CROSS JOIN ${table.table} ON ${table.table}.rowid = "matches"."match"
         WHERE ${where.sql}${cursor.sql} ORDER BY ${orderBy} LIMIT ?`,
      params: [...matches.params, ...where.params, ...cursor.params, page.first + 1],
    };
  }
  const where = filterSql(db, table, filter, way);
  return {
    sql: `SELECT * FROM ${table.table} WHERE ${where.sql}${cursor.sql} ORDER BY ${orderBy} LIMIT ?`,
    params: [...where.params, ...cursor.params, page.first + 1],
  };
}

/** The statement of a list's counts by status. */
export function statusCountsStatement(
  db: SqlDatabase,
  table: EntityTable,
  filter: EntityFilter,
  way?: SearchWay,
): SqlPart {
  const where = filterSql(db, table, filter, countingWay(filter) ?? way);
  return {
    sql: `SELECT "status", COUNT(*) AS n FROM ${table.table} WHERE ${where.sql} GROUP BY "status"`,
    params: where.params,
  };
}

/** The statement of the number of rows a list's filter matches. */
export function countStatement(db: SqlDatabase, table: EntityTable, filter: EntityFilter): SqlPart {
  const where = filterSql(db, table, filter, countingWay(filter));
  return { sql: `SELECT COUNT(*) AS n FROM ${table.table} WHERE ${where.sql}`, params: where.params };
}

/**
 * How a count reads a search. A count reads every match whichever way: through the index it
 * reads the matches alone (61 ms for 111,111 of 1M names), a scan reads every row (590 ms). Only
 * a filter that narrows the rows first (a parent, a mission, ids, an agent) makes a scan of those
 * the cheaper, for a text the index names thousands of times: then the count asks (searchWay).
 */
/** How the filter's search reads its rows (searchWay), or undefined without a search. */
export function filterSearchWay(db: SqlDatabase, table: EntityTable, filter: EntityFilter): SearchWay | undefined {
  return filter.search === undefined ? undefined : searchWay(db, table, filter.search);
}

function countingWay(filter: EntityFilter): SearchWay | undefined {
  const narrowed =
    filter.parentId !== undefined ||
    filter.missionId !== undefined ||
    filter.ids !== undefined ||
    filter.agentName !== undefined;
  return narrowed ? undefined : "index";
}
