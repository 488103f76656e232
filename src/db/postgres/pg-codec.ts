// How values travel to and from PostgreSQL. node-postgres already hands back timestamptz as a
// Date (the instant, whatever the session's TimeZone), jsonb parsed and int4 as a number; what
// is left is to send dates as UTC ISO text and JSON as text (an array parameter would otherwise
// become a PostgreSQL array), and to build records with their fields in one fixed order.
import type { EntityRecordByType, EntityType, JsonValue } from "../../domain/entities.js";
import { isStorableText } from "../../domain/storable-text.js";
import type { ColumnKind, EntityTable } from "../entity-tables.js";
import type { PgParam } from "./pg-session.js";

export function pgDate(date: Date): string {
  return date.toISOString();
}

export function pgJson(value: JsonValue | null | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * An id or filter value to look rows up by. Text PostgreSQL cannot hold (storable-text.ts) is in
 * no row, so it names nothing, as it would on SQLite: it goes as NULL, which equals nothing,
 * instead of failing the statement.
 */
export function pgKey(key: string): string | null {
  return isStorableText(key) ? key : null;
}

export function pgKeys(keys: readonly string[]): (string | null)[] {
  return keys.map(pgKey);
}

export function pgColumnValue(kind: ColumnKind, value: unknown): PgParam {
  if (value === null || value === undefined) return null;
  if (kind === "date") return pgDate(value as Date);
  if (kind === "json") return pgJson(value as JsonValue);
  return value as PgParam;
}

/**
 * Takes a row of some of the table's `columns` as the record it is, with its BIGINT columns
 * turned into numbers in place (node-postgres hands them back as text).
 */
export function pgPartialRecordDecoder<T extends EntityType>(
  table: EntityTable<T>,
  columns: readonly string[],
): (row: Record<string, unknown>) => EntityRecordByType[T] {
  const kinds = table.columns as Record<string, ColumnKind>;
  const numbers = columns.filter((column) => kinds[column] === "bigint");
  if (numbers.length === 0) return (row) => row as unknown as EntityRecordByType[T];
  return (row) => {
    for (const column of numbers) if (row[column] !== null) row[column] = Number(row[column]);
    return row as unknown as EntityRecordByType[T];
  };
}

/** Builds a record of `table` from a row of `SELECT *` on it. */
export function pgRecordDecoder<T extends EntityType>(
  table: EntityTable<T>,
): (row: Record<string, unknown>) => EntityRecordByType[T] {
  const columns = Object.entries(table.columns as Record<string, ColumnKind>).map(([name, kind]) => ({
    name,
    // node-postgres hands BIGINT back as text (it may exceed 2^53); casebook's stay below (cost.ts).
    number: kind === "bigint",
  }));
  return (row) => {
    const record: Record<string, unknown> = {};
    for (const { name, number } of columns) {
      const value = row[name] ?? null;
      record[name] = number && value !== null ? Number(value) : value;
    }
    return record as unknown as EntityRecordByType[T];
  };
}
