// Column layout of the three entity tables and the mapping between rows and records. The
// repositories are written once against this description instead of once per entity.

import type { EntityRecordByType, EntityType } from "../domain/entities.js";
import { decodeJson, decodeOptionalDate, encodeDate, encodeJson } from "./sqlite/codec.js";
import type { SqlParam } from "./sqlite/sql-database.js";

export type ColumnKind = "text" | "int" | "bigint" | "json" | "date";

export interface EntityTable<T extends EntityType = EntityType> {
  entityType: T;
  /** Quoted table name. */
  table: string;
  /** Column of Transition that points at this table. */
  transitionColumn: '"missionId"' | '"jobId"' | '"caseId"';
  /** Parent foreign key, if any. */
  parentColumn?: "missionId" | "jobId";
  columns: Record<keyof EntityRecordByType[T] & string, ColumnKind>;
}

const COMMON = {
  id: "text",
  name: "text",
  status: "text",
  version: "int",
  createdAt: "date",
  updatedAt: "date",
  finishedAt: "date",
  awaitingUntil: "date",
  metadata: "json",
} as const;

// Each table keeps its literal column kinds (as const): record-views.ts derives from them which
// columns a view parses.
const MISSION_TABLE = {
  entityType: "Mission",
  table: '"Mission"',
  transitionColumn: '"missionId"',
  columns: { ...COMMON, description: "text" },
} as const satisfies EntityTable<"Mission">;

const JOB_TABLE = {
  entityType: "Job",
  table: '"Job"',
  transitionColumn: '"jobId"',
  parentColumn: "missionId",
  columns: {
    ...COMMON,
    agentName: "text",
    missionId: "text",
    jobContext: "json",
    payload: "json",
    result: "json",
    error: "text",
    agentParameters: "json",
  },
} as const satisfies EntityTable<"Job">;

const CASE_TABLE = {
  entityType: "Case",
  table: '"Case"',
  transitionColumn: '"caseId"',
  parentColumn: "jobId",
  columns: {
    ...COMMON,
    jobId: "text",
    description: "text",
    totalCostMicros: "bigint",
    finalDelivery: "json",
    error: "text",
  },
} as const satisfies EntityTable<"Case">;

const TABLES = { Mission: MISSION_TABLE, Job: JOB_TABLE, Case: CASE_TABLE } as const;

/** The column kinds of each entity's table, exactly as written above. */
export type ColumnKindsByType = { [T in EntityType]: (typeof TABLES)[T]["columns"] };

/** The table of each entity type: `ENTITY_TABLES[type]` has the type of that entity's table. */
export const ENTITY_TABLES: { readonly [T in EntityType]: EntityTable<T> } = TABLES;

export function encodeColumn(kind: ColumnKind, value: unknown): SqlParam {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "date":
      return encodeDate(value as Date);
    case "json":
      return encodeJson(value as never);
    default:
      return value as SqlParam;
  }
}

const DECODERS: Record<ColumnKind, (value: unknown) => unknown> = {
  text: (value) => value,
  int: (value) => (value === null || value === undefined ? null : Number(value)),
  // PostgreSQL's driver hands BIGINT back as text; SQLite's as a number.
  bigint: (value) => (value === null || value === undefined ? null : Number(value)),
  json: decodeJson,
  date: decodeOptionalDate,
};

type RowDecoder<T extends EntityType> = (row: readonly unknown[]) => EntityRecordByType[T];

export interface ColumnField {
  name: string;
  /** Position of the column in the statement's rows. */
  index: number;
  /** JSON and dates cost a parse each; the other kinds are taken as they come. */
  parsed: boolean;
  decodeValue: (value: unknown) => unknown;
}

/**
 * The table's columns, in record order, located in a statement whose columns are `columns`.
 * With `some`, the statement may read only some of them (a page of the columns a query asked
 * for): the others are left out; otherwise a missing column is a mistake in the statement.
 */
export function columnFields(table: EntityTable, columns: readonly string[], some = false): ColumnField[] {
  const fields: ColumnField[] = [];
  for (const [name, kind] of Object.entries(table.columns) as [string, ColumnKind][]) {
    const index = columns.indexOf(name);
    if (index < 0 && some) continue;
    if (index < 0) throw new Error(`${table.table} has no column ${name} in this statement`);
    fields.push({ name, index, parsed: kind === "json" || kind === "date", decodeValue: DECODERS[kind] });
  }
  return fields;
}

/**
 * The select list of a statement that reads `columns` of the table (every column when absent),
 * each name after `prefix` (a table alias such as `"child".`, or nothing). Only the table's own
 * column names are accepted: they are written into the SQL.
 */
export function selectList(table: EntityTable, columns: readonly string[] | undefined, prefix: string): string {
  if (!columns) return `${prefix}*`;
  for (const column of columns)
    if (!Object.hasOwn(table.columns, column)) throw new Error(`${table.table} has no column ${column}`);
  return columns.map((column) => `${prefix}"${column}"`).join(", ");
}

// One decoder per statement (keyed by its column list, which SqlDatabase keeps per statement):
// each record is then built with its fields in one fixed order, so all records of a table share
// one object shape, and no column is looked up by name per row.
const decoders = new WeakMap<readonly string[], RowDecoder<EntityType>>();

/** Builds records from rows read as arrays whose columns are `columns` (a `SELECT *`). */
export function rowDecoder<T extends EntityType>(table: EntityTable<T>, columns: readonly string[]): RowDecoder<T> {
  let decode = decoders.get(columns) as RowDecoder<T> | undefined;
  if (!decode) {
    const fields = columnFields(table as EntityTable, columns);
    decode = (row) => {
      const record: Record<string, unknown> = {};
      for (const field of fields) record[field.name] = field.decodeValue(row[field.index]);
      return record as unknown as EntityRecordByType[T];
    };
    decoders.set(columns, decode as RowDecoder<EntityType>);
  }
  return decode;
}

export function quoted(column: string): string {
  return `"${column}"`;
}

/** The record as JSON text, kept with an idempotent transition so retries get it back. */
export function recordToSnapshot(record: object): string {
  return JSON.stringify(record);
}

export function snapshotToRecord<T extends EntityType>(table: EntityTable<T>, snapshot: string): EntityRecordByType[T] {
  const record = JSON.parse(snapshot) as Record<string, unknown>;
  for (const [column, kind] of Object.entries(table.columns) as [string, ColumnKind][]) {
    if (kind === "date" && record[column] != null) record[column] = new Date(record[column] as string);
  }
  return record as unknown as EntityRecordByType[T];
}
