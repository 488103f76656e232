// casebook's own dump: NDJSON, one JSON object per line. The first line is the header (the
// schema the rows fit: engine, last migration, tables and columns), then one line per row, table
// by table with parents first, and a last line with the row count of each table, whose absence
// marks a dump that was cut short.
import type { ColumnInfo, TableRow } from "../db/tables/table-access.js";
import { InputError } from "./errors.js";

export const DUMP_FORMAT = "casebook-dump";
export const DUMP_FORMAT_VERSION = 1;

export interface DumpHeader {
  format: typeof DUMP_FORMAT;
  formatVersion: number;
  /** The engine the dump was taken from. */
  engine: "sqlite" | "postgresql";
  /** The last migration applied to that database: the schema version of every row. */
  migration: string;
  exportedAt: string;
  tables: { name: string; columns: ColumnInfo[] }[];
}

interface DumpRowLine {
  table: string;
  row: TableRow;
}

export interface DumpEnd {
  end: true;
  /** Rows written per table. */
  rows: Record<string, number>;
}

export type DumpLine = DumpRowLine | DumpEnd;

export function parseHeader(line: string | undefined): DumpHeader {
  if (line === undefined) throw new InputError("the dump is empty");
  let header: Partial<DumpHeader>;
  try {
    header = JSON.parse(line) as Partial<DumpHeader>;
  } catch {
    throw new InputError("the first line is not JSON: not a casebook dump");
  }
  if (header.format !== DUMP_FORMAT) throw new InputError(`the first line is not a ${DUMP_FORMAT} header`);
  if (header.formatVersion !== DUMP_FORMAT_VERSION) {
    throw new InputError(
      `the dump is in format version ${String(header.formatVersion)}; this casebook reads version ${DUMP_FORMAT_VERSION}`,
    );
  }
  if (
    (header.engine !== "sqlite" && header.engine !== "postgresql") ||
    typeof header.migration !== "string" ||
    !Array.isArray(header.tables)
  ) {
    throw new InputError("the dump's header lacks its engine, migration or tables");
  }
  return header as DumpHeader;
}

export function parseLine(line: string, lineNumber: number): DumpLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new InputError(`line ${lineNumber} is not JSON`);
  }
  if (typeof parsed === "object" && parsed !== null) {
    const value = parsed as Record<string, unknown>;
    if (value.end === true && typeof value.rows === "object" && value.rows !== null) return value as unknown as DumpEnd;
    if (typeof value.table === "string" && typeof value.row === "object" && value.row !== null) {
      return value as unknown as DumpRowLine;
    }
  }
  throw new InputError(`line ${lineNumber} is neither a row nor the end of the dump`);
}
