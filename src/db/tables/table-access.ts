// Whole tables, read and written row by row, for moving data in and out of casebook (dumps,
// reset): what the tables and columns are is read from the database itself, so a column or a
// table added by a migration is carried without a change here. Values travel in one form for
// both engines (TableRow); each engine turns them into its own.
import type { Database } from "../database.js";
import { PgDatabase } from "../postgres/pg-database.js";
import { SqliteDatabase } from "../sqlite/sqlite-database.js";
import { PostgresTables } from "./postgres-tables.js";
import { SqliteTables } from "./sqlite-tables.js";

/**
 * How a column's values travel: text (enums too), whole numbers, floating-point numbers,
 * decimals (as text, to keep every digit), booleans, instants (ISO 8601 text in UTC) and JSON
 * (the value itself).
 */
export type ValueKind = "text" | "int" | "float" | "decimal" | "bool" | "date" | "json";

export interface ColumnInfo {
  name: string;
  kind: ValueKind;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Primary-key columns, in key order: the order rows are read in. */
  primaryKey: string[];
  /** Tables this one has foreign keys to. */
  parents: string[];
}

/** One row, column name to value in its travelling form (see ValueKind); null for SQL NULL. */
export type TableRow = Record<string, unknown>;

export interface TableReader {
  /** The rows of `table` in primary-key order, `batchSize` at a time. */
  rows(table: TableInfo, batchSize: number): AsyncIterable<TableRow[]>;
}

export interface TableWriter {
  insert(table: TableInfo, rows: readonly TableRow[]): Promise<void>;
  /** Rows in `table`. */
  count(table: TableInfo): Promise<number>;
  /** Deletes every row of the tables, children first (they are given parents first). */
  deleteAll(tables: readonly TableInfo[]): Promise<void>;
  /** After rows were inserted with their own ids: generated ids continue after the largest. */
  resumeGeneratedKeys(tables: readonly TableInfo[]): Promise<void>;
}

export interface TableAccess {
  /** casebook's data tables (not the migration ledger), parents before children. */
  describe(): Promise<TableInfo[]>;
  /** The last migration applied to this database, which names its schema. */
  schemaVersion(): Promise<string | null>;
  /** Runs `work` on one consistent snapshot: rows written meanwhile by others are not seen. */
  snapshot<R>(work: (reader: TableReader) => Promise<R>): Promise<R>;
  /** Runs `work` in one transaction: all of it is committed, or, if it throws, none of it. */
  write<R>(work: (writer: TableWriter) => Promise<R>): Promise<R>;
}

export function tableAccess(db: Database): TableAccess {
  if (db instanceof SqliteDatabase) return new SqliteTables(db);
  if (db instanceof PgDatabase) return new PostgresTables(db);
  throw new Error(`no table access for the ${db.engine} engine`);
}

/** Tables ordered so that each comes after those it references; ties by name. */
export function parentsFirst(tables: readonly TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const visit = (table: TableInfo, path: Set<string>) => {
    if (placed.has(table.name) || path.has(table.name)) return;
    path.add(table.name);
    for (const parent of [...table.parents].sort()) {
      const parentTable = byName.get(parent);
      if (parentTable && parent !== table.name) visit(parentTable, path);
    }
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
    visit(table, new Set());
  return ordered;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The ledger Prisma keeps, which is no data of casebook's. */
export const MIGRATION_LEDGER = "_prisma_migrations";
