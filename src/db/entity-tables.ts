// Column layout of the three entity tables and the mapping between rows and records. The
// repositories are written once against this description instead of once per entity.
import type { EntityType } from "../domain/errors.js";
import type { CaseRecord, EntityRecordByType, JobRecord, MissionRecord } from "../domain/entities.js";
import { decodeDate, decodeJson, decodeOptionalDate, encodeDate, encodeJson } from "./codec.js";
import type { SqlParam, SqlRow } from "./sql-database.js";

type ColumnKind = "text" | "int" | "float" | "json" | "date";

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
  metadata: "json",
} as const;

export const MISSION_TABLE: EntityTable<"Mission"> = {
  entityType: "Mission",
  table: '"Mission"',
  transitionColumn: '"missionId"',
  columns: { ...COMMON, description: "text" } satisfies Record<keyof MissionRecord, ColumnKind>,
};

export const JOB_TABLE: EntityTable<"Job"> = {
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
  } satisfies Record<keyof JobRecord, ColumnKind>,
};

export const CASE_TABLE: EntityTable<"Case"> = {
  entityType: "Case",
  table: '"Case"',
  transitionColumn: '"caseId"',
  parentColumn: "jobId",
  columns: {
    ...COMMON,
    jobId: "text",
    description: "text",
    totalCost: "float",
    finalDelivery: "json",
  } satisfies Record<keyof CaseRecord, ColumnKind>,
};

export const ENTITY_TABLES = { Mission: MISSION_TABLE, Job: JOB_TABLE, Case: CASE_TABLE } as const;

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

function decodeColumn(kind: ColumnKind, value: unknown): unknown {
  switch (kind) {
    case "date":
      return value === null ? null : decodeDate(value);
    case "json":
      return decodeJson(value);
    case "int":
    case "float":
      return value === null ? null : Number(value);
    default:
      return value;
  }
}

// Each table's columns as a list, computed once: rows are decoded on every read path.
const columnLists = new WeakMap<EntityTable, [string, ColumnKind][]>();

function columnList(table: EntityTable): [string, ColumnKind][] {
  let list = columnLists.get(table);
  if (!list) {
    list = Object.entries(table.columns) as [string, ColumnKind][];
    columnLists.set(table, list);
  }
  return list;
}

export function rowToRecord<T extends EntityType>(table: EntityTable<T>, row: SqlRow): EntityRecordByType[T] {
  const record: Record<string, unknown> = {};
  for (const [column, kind] of columnList(table as EntityTable)) {
    record[column] = column === "finishedAt" ? decodeOptionalDate(row[column]) : decodeColumn(kind, row[column]);
  }
  return record as unknown as EntityRecordByType[T];
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
