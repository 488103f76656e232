// Reading tables directly, on either engine, for tests that check rows rather than what the
// services say: one SQL text with `?` parameters, numbered for PostgreSQL here.
import pg from "pg";
import type { Database } from "../../src/db/database.js";
import { PgDatabase } from "../../src/db/postgres/pg-database.js";
import type { SqlDatabase } from "../../src/db/sqlite/sql-database.js";
import { sqliteOf } from "./database.js";

type Row = Record<string, unknown>;
export type SqlParam = string | number | null;

// COUNT(*) and SUM of integers are bigint in PostgreSQL, which pg hands over as text; SQLite
// gives numbers. Read here as numbers too, so that one assertion fits both.
const BIGINT_AS_NUMBER: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? Number
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * The rows of `sql`, whose parameters are written `?` (no `?` may appear elsewhere in it). Values
 * come as each driver gives them: dates are text in SQLite and Dates in PostgreSQL, JSON text
 * and parsed values.
 */
export async function queryRows<R extends Row = Row>(
  db: Database | SqlDatabase,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<R[]> {
  if (!(db instanceof PgDatabase)) return sqliteOf(db).all<R>(sql, params);
  return (await db.pool.query<R>({ text: numbered(sql), values: [...params], types: BIGINT_AS_NUMBER })).rows;
}

/** Runs a statement that returns no rows (`?` parameters, as queryRows); resolves to the rows it changed. */
export async function execute(db: Database | SqlDatabase, sql: string, params: readonly SqlParam[] = []) {
  if (!(db instanceof PgDatabase)) return sqliteOf(db).run(sql, params).changes;
  return (await db.pool.query({ text: numbered(sql), values: [...params] })).rowCount ?? 0;
}

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The `n` of a `SELECT COUNT(*) AS n …`. */
export async function countOf(db: Database | SqlDatabase, sql: string, params: readonly SqlParam[] = []) {
  const [row] = await queryRows<{ n: number }>(db, sql, params);
  return row!.n;
}

/** `(?, ?, …)` for a list of values, for `IN` with a parameter per value. */
export function placeholders(values: readonly unknown[]): string {
  return `(${values.map(() => "?").join(", ")})`;
}

/**
 * Every row of every table, for "nothing changed" assertions: each table in the order of its
 * primary key, so that two snapshots of one database compare equal exactly when no row differs.
 */
export async function snapshotRows(db: Database | SqlDatabase): Promise<Record<string, unknown[]>> {
  if (!(db instanceof PgDatabase)) return snapshotSqlite(sqliteOf(db));
  const tables = await queryRows<{ name: string; key: string[] }>(
    db,
    `SELECT c.relname AS name,
       ARRAY(SELECT quote_ident(a.attname) FROM unnest(k.conkey) WITH ORDINALITY AS col(num, ord)
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = col.num ORDER BY col.ord) AS key
     FROM pg_class c
     JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()
     LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'p'
     WHERE c.relkind = 'r'
     ORDER BY c.relname`,
  );
  const snapshot: Record<string, unknown[]> = {};
  for (const { name, key } of tables) {
    // A table without a primary key is ordered by the whole row.
    const order = key.length > 0 ? key.join(", ") : "t::text";
    snapshot[name] = await queryRows(db, `SELECT * FROM ${quoteIdent(name)} t ORDER BY ${order}`);
  }
  return snapshot;
}

function snapshotSqlite(db: SqlDatabase): Record<string, unknown[]> {
  // Tables of rows only: not the search indexes (virtual) nor the tables they keep their trigrams
  // in (shadow), which are derived from the rows, laid out by the order they were written in, and
  // proved in step by test/services/search-index.test.ts.
  const tables = db
    .all<{ name: string }>(
      `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
    .map((t) => t.name);
  return Object.fromEntries(tables.map((t) => [t, db.all(`SELECT * FROM ${quoteIdent(t)} ORDER BY rowid`)]));
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
