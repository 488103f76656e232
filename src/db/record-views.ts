// Records for the reads that answer GraphQL. A view holds the row as SQLite returned it: plain
// columns are own properties, and each JSON or date column is parsed the first time it is read.
// A page of ten cases asked for `{ id status }` then parses no JSON and builds no Date; decoding
// every column was a sixth of such a read's CPU time in-process (BENCHMARKS.md).
//
// The parsed columns live on the prototype, so a spread ({ ...view }) or a field-by-field
// comparison does not see them: views go to GraphQL resolvers only, which read fields by name.
// plainRecord() turns one into an ordinary record; JSON.stringify sees every field.

import type { EntityRecordByType, EntityType } from "../domain/entities.js";
import { columnFields, type EntityTable, type RowDecoder } from "./entity-tables.js";

const NOT_READ = Symbol("not read");

interface RecordView {
  toJSON(): Record<string, unknown>;
}

const viewDecoders = new WeakMap<readonly string[], RowDecoder<EntityType>>();

/** Builds a view per row, for rows read as arrays whose columns are `columns` (a `SELECT *`). */
export function viewDecoder<T extends EntityType>(table: EntityTable<T>, columns: readonly string[]): RowDecoder<T> {
  let decode = viewDecoders.get(columns) as RowDecoder<T> | undefined;
  if (!decode) {
    const View = viewClass(table as EntityTable, columns);
    decode = (row) => new View(row) as unknown as EntityRecordByType[T];
    viewDecoders.set(columns, decode as RowDecoder<EntityType>);
  }
  return decode;
}

/** The view (or record) as an ordinary record with every field an own property. */
export function plainRecord<R extends object>(record: R): R {
  return (isView(record) ? record.toJSON() : record) as R;
}

function isView(record: object): record is RecordView {
  return typeof (record as Partial<RecordView>).toJSON === "function";
}

function viewClass(table: EntityTable, columns: readonly string[]) {
  const fields = columnFields(table, columns);
  const plain = fields.filter((f) => !f.parsed);
  const parsed = fields.filter((f) => f.parsed);

  class View implements RecordView {
    readonly #row: readonly unknown[];
    readonly #values: unknown[] = parsed.map(() => NOT_READ);

    constructor(row: readonly unknown[]) {
      this.#row = row;
      for (const field of plain)
        (this as unknown as Record<string, unknown>)[field.name] = field.decodeValue(row[field.index]);
    }

    parsedField(slot: number): unknown {
      if (this.#values[slot] === NOT_READ)
        this.#values[slot] = parsed[slot]!.decodeValue(this.#row[parsed[slot]!.index]);
      return this.#values[slot];
    }

    toJSON(): Record<string, unknown> {
      const record: Record<string, unknown> = {};
      for (const field of fields) record[field.name] = (this as unknown as Record<string, unknown>)[field.name];
      return record;
    }
  }
  parsed.forEach((field, slot) => {
    Object.defineProperty(View.prototype, field.name, {
      enumerable: true,
      get(this: View) {
        return this.parsedField(slot);
      },
    });
  });
  return View;
}
