// Records for the reads that answer GraphQL. A view holds the row as SQLite returned it: plain
// columns are own properties, and each JSON or date column is parsed the first time it is read.
// A page of ten cases asked for `{ id status }` then parses no JSON and builds no Date, which
// such a read would otherwise spend a good part of its time on (BENCHMARKS.md).
//
// The parsed columns live on the prototype, so a spread ({ ...view }) or a field-by-field
// comparison does not see them: views go to GraphQL resolvers only, which read fields by name.
// Their type (RecordView) says so; plainRecord() turns one into an ordinary record, and
// JSON.stringify sees every field.

import type {
  CaseRecord,
  EntityRecordByType,
  EntityType,
  JobRecord,
  JsonObject,
  JsonValue,
  MissionRecord,
} from "../domain/entities.js";
import { type ColumnKindsByType, columnFields, type EntityTable } from "./entity-tables.js";

// A view's parsed columns, declared as what they are at run time: getters of a class. TypeScript
// leaves a class's getters out of a spread as JavaScript does, so `{ ...view }` is no record to
// the compiler either. ViewOf checks these against the tables' JSON and date columns.
declare abstract class ParsedEntityColumns {
  get createdAt(): Date;
  get updatedAt(): Date;
  get finishedAt(): Date | null;
  get awaitingUntil(): Date | null;
  get metadata(): JsonObject;
}

declare abstract class ParsedJobColumns extends ParsedEntityColumns {
  get jobContext(): JsonObject | null;
  get payload(): JsonValue | null;
  get result(): JsonValue | null;
  get agentParameters(): JsonValue | null;
}

declare abstract class ParsedCaseColumns extends ParsedEntityColumns {
  get finalDelivery(): JsonValue | null;
}

/** The columns a view parses on first read: those whose kind is JSON or a date. */
type ParsedColumn<Kinds> = { [C in keyof Kinds]: Kinds[C] extends "json" | "date" ? C : never }[keyof Kinds];

/** What a view's getters must declare: every parsed column, with its type on the record. */
type ParsedFields<R, Kinds> = Pick<R, ParsedColumn<Kinds> & keyof R>;

/** The plain columns as read-only properties, the parsed ones as the getters of `G`. */
type ViewOf<R, Kinds, G extends ParsedFields<R, Kinds>> = Readonly<Omit<R, ParsedColumn<Kinds>>> & G;

interface RecordViewByType {
  Mission: ViewOf<MissionRecord, ColumnKindsByType["Mission"], ParsedEntityColumns>;
  Job: ViewOf<JobRecord, ColumnKindsByType["Job"], ParsedJobColumns>;
  Case: ViewOf<CaseRecord, ColumnKindsByType["Case"], ParsedCaseColumns>;
}

/**
 * An entity as GraphQL reads it: every field reads by name as on a record, but a spread of it
 * leaves out the parsed columns, and the compiler knows. A record can stand wherever a view is read.
 */
export type RecordView<T extends EntityType> = RecordViewByType[T];

type ViewDecoder<T extends EntityType> = (row: readonly unknown[]) => RecordView<T>;

const NOT_READ = Symbol("not read");

interface Serializable {
  toJSON(): Record<string, unknown>;
}

const viewDecoders = new WeakMap<readonly string[], ViewDecoder<EntityType>>();

/**
 * Builds a view per row, for rows read as arrays whose columns are `columns`: every column of the
 * table (a `SELECT *`), or some of them (a page of the columns a query asked for), the view then
 * having only those.
 */
export function viewDecoder<T extends EntityType>(table: EntityTable<T>, columns: readonly string[]): ViewDecoder<T> {
  let decode = viewDecoders.get(columns) as ViewDecoder<T> | undefined;
  if (!decode) {
    const View = viewClass(table as EntityTable, columns);
    decode = (row) => new View(row) as unknown as RecordView<T>;
    viewDecoders.set(columns, decode as ViewDecoder<EntityType>);
  }
  return decode;
}

/** The view as an ordinary record with every field an own property; a record comes back as it is. */
export function plainRecord<T extends EntityType>(view: RecordView<T>): EntityRecordByType[T] {
  return (isView(view) ? view.toJSON() : view) as EntityRecordByType[T];
}

function isView(record: object): record is Serializable {
  return typeof (record as Partial<Serializable>).toJSON === "function";
}

function viewClass(table: EntityTable, columns: readonly string[]) {
  const fields = columnFields(table, columns, true);
  const plain = fields.filter((f) => !f.parsed);
  const parsed = fields.filter((f) => f.parsed);

  class View implements Serializable {
    // Kept for the parsed columns only: a view of plain columns lets its row go at once.
    readonly #row: readonly unknown[] | undefined;
    // Allocated on the first parsed read: most views in a list never have one.
    #values: unknown[] | undefined;

    constructor(row: readonly unknown[]) {
      if (parsed.length > 0) this.#row = row;
      for (const field of plain)
        (this as unknown as Record<string, unknown>)[field.name] = field.decodeValue(row[field.index]);
    }

    parsedField(slot: number): unknown {
      this.#values ??= parsed.map(() => NOT_READ);
      if (this.#values[slot] === NOT_READ)
        this.#values[slot] = parsed[slot]!.decodeValue(this.#row![parsed[slot]!.index]);
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
