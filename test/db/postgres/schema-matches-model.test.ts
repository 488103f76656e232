// The PostgreSQL migrations must create exactly the schema that prisma/postgresql/schema.prisma
// describes, or Prisma Client, Studio and `prisma migrate` would disagree with the database. The
// model comes from Prisma itself (its DMMF); the database is read from its catalogs after casebook's
// own migrator has run.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedTestDatabase, type TestDatabase } from "../../support/postgres.js";
import {
  type Datamodel,
  type DmmfField,
  type DmmfModel,
  loadDatamodel,
  POSTGRES_SCHEMA_FILE,
} from "../../support/prisma-dmmf.js";

interface ColumnInfo {
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: "YES" | "NO";
  column_default: string | null;
  datetime_precision: number | null;
}
interface ConstraintInfo {
  name: string;
  type: "p" | "f" | "u" | "c" | "x";
  columns: string[];
  referenced_table: string | null;
  referenced_columns: string[] | null;
  on_delete: string;
  on_update: string;
}
interface IndexInfo {
  name: string;
  unique: boolean;
  primary: boolean;
  partial: boolean;
  columns: string[];
}

// Column types Prisma's PostgreSQL connector gives each scalar type without a @db attribute, as
// information_schema names them.
const POSTGRES_TYPE: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric",
  Boolean: "boolean",
  DateTime: "timestamp without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};
// The @db attributes the schema uses, as information_schema names them.
const NATIVE_TYPE: Record<string, string> = {
  Timestamptz: "timestamp with time zone",
  Timestamp: "timestamp without time zone",
};

// Referential actions as pg_constraint codes them; unset means SetNull on an optional relation and
// Restrict on a required one (ON DELETE), Cascade (ON UPDATE).
const ACTION_CODE: Record<string, string> = {
  Cascade: "c",
  SetNull: "n",
  Restrict: "r",
  NoAction: "a",
  SetDefault: "d",
};

let model: Datamodel;
let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  model = loadDatamodel(POSTGRES_SCHEMA_FILE);
  database = await createMigratedTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const columnFields = (m: DmmfModel) => m.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
const isAutoincrement = (f: DmmfField) =>
  typeof f.default === "object" && f.default !== null && (f.default as { name?: string }).name === "autoincrement";

async function columns(table: string): Promise<ColumnInfo[]> {
  const result = await client.query<ColumnInfo>(
    `SELECT column_name, data_type, udt_name, is_nullable, column_default, datetime_precision
     FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  return result.rows;
}

async function constraints(table: string): Promise<ConstraintInfo[]> {
  const columnsOf = (relation: string, keys: string) =>
    `array(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, position)
           JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum ORDER BY k.position)`;
  const result = await client.query<ConstraintInfo>(
    `SELECT c.conname AS name, c.contype AS type, ${columnsOf("c.conrelid", "c.conkey")} AS columns,
            r.relname AS referenced_table,
            CASE WHEN c.contype = 'f' THEN ${columnsOf("c.confrelid", "c.confkey")} END AS referenced_columns,
            c.confdeltype AS on_delete, c.confupdtype AS on_update
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     LEFT JOIN pg_class r ON r.oid = c.confrelid
     -- PostgreSQL 18 lists NOT NULL as constraints too; nullability is checked column by column.
     WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = $1 AND c.contype <> 'n'`,
    [table],
  );
  return result.rows;
}

// pg_trgm's GIN indexes, written by hand in the search migration: index name → table.column.
// The tables of the short-text indexes (migration "short_text_search"), beside each searched table.
const SHORT_SEARCH_TABLES = ["Mission_short_search", "Job_short_search", "Case_short_search"];

const SEARCH_INDEXES: Record<string, string> = {
  Mission_name_trgm_idx: "Mission.name",
  Mission_description_trgm_idx: "Mission.description",
  Job_name_trgm_idx: "Job.name",
  Case_name_trgm_idx: "Case.name",
  Case_description_trgm_idx: "Case.description",
};

async function indexes(table: string): Promise<IndexInfo[]> {
  const result = await client.query<IndexInfo>(
    `SELECT i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
            (x.indpred IS NOT NULL OR x.indexprs IS NOT NULL) AS partial,
            array(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
                  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.position) AS columns
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = $1`,
    [table],
  );
  return result.rows;
}

/** The default Prisma writes into the database for a field, as PostgreSQL prints it back. */
function expectedDefault(table: string, field: DmmfField): string | null {
  if (!field.hasDefaultValue) return null;
  const value = field.default as unknown;
  if (isAutoincrement(field)) return `nextval('"${table}_${field.name}_seq"'::regclass)`;
  if (typeof value === "object" && value !== null && (value as { name?: string }).name === "now") {
    return "CURRENT_TIMESTAMP";
  }
  if (field.kind === "enum") return `'${value}'::"${field.type}"`;
  // Prisma's model gives a BigInt default as a string; PostgreSQL prints the number.
  if (field.type === "BigInt") return String(value);
  if (typeof value === "string") return `'${value}'::text`;
  return String(value);
}

describe("the migrated PostgreSQL database", () => {
  it("has a table per model and no others besides Prisma's migration ledger and the short-text indexes", async () => {
    const result = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    expect(result.rows.map((r) => r.table_name).sort()).toEqual(
      [...model.models.map(tableOf), "_prisma_migrations", ...SHORT_SEARCH_TABLES].sort(),
    );
  });

  it("keeps a short-text index beside each searched table: its grams under GIN, its rows going with the entity's", async () => {
    for (const table of SHORT_SEARCH_TABLES) {
      const entity = table.replace(/_short_search$/, "");
      expect(
        (await indexes(table)).sort((a, b) => a.name.localeCompare(b.name)),
        table,
      ).toEqual([
        // On the expression casebook_search_grams("texts"): no plain column.
        { name: `${table}_grams_idx`, unique: false, primary: false, partial: true, columns: [] },
        { name: `${table}_pkey`, unique: true, primary: true, partial: false, columns: ["id"] },
      ]);
      const keys = (await constraints(table)).filter((c) => c.type === "f");
      expect(keys, table).toEqual([
        expect.objectContaining({
          columns: ["id"],
          referenced_table: entity,
          referenced_columns: ["id"],
          on_delete: "c",
        }),
      ]);
    }
  });

  it("has exactly one column per scalar field, with the field's type (native type where given) and nullability", async () => {
    for (const m of model.models) {
      const actual = await columns(tableOf(m));
      const fields = columnFields(m);
      expect(actual.map((c) => c.column_name).sort(), m.name).toEqual(fields.map((f) => f.name).sort());
      for (const field of fields) {
        const column = actual.find((c) => c.column_name === field.name)!;
        const where = `${m.name}.${field.name}`;
        expect(column.is_nullable === "NO", `${where} NOT NULL`).toBe(field.isRequired);
        if (field.kind === "enum") {
          expect([column.data_type, column.udt_name], `${where} type`).toEqual(["USER-DEFINED", field.type]);
        } else if (field.nativeType) {
          const [name, args] = field.nativeType;
          expect(column.data_type, `${where} type`).toBe(NATIVE_TYPE[name]);
          expect(column.datetime_precision, `${where} precision`).toBe(Number(args[0]));
        } else {
          expect(column.data_type, `${where} type`).toBe(POSTGRES_TYPE[field.type]);
        }
      }
    }
  });

  it("stores every DateTime as timestamptz(3) and every Json as jsonb", async () => {
    for (const m of model.models) {
      const actual = await columns(tableOf(m));
      for (const field of columnFields(m).filter((f) => f.type === "DateTime" || f.type === "Json")) {
        const column = actual.find((c) => c.column_name === field.name)!;
        const expected = field.type === "DateTime" ? ["timestamptz", 3] : ["jsonb", null];
        expect([column.udt_name, column.datetime_precision], `${m.name}.${field.name}`).toEqual(expected);
      }
    }
  });

  it("has the model's defaults in the database, and no others", async () => {
    for (const m of model.models) {
      const table = tableOf(m);
      const actual = await columns(table);
      for (const field of columnFields(m)) {
        const column = actual.find((c) => c.column_name === field.name)!;
        expect(column.column_default, `${m.name}.${field.name} default`).toBe(expectedDefault(table, field));
      }
    }
  });

  it("has the model's primary key on every table, under Prisma's name, columns in order", async () => {
    for (const m of model.models) {
      const ids = model.indexes.filter((i) => i.model === m.name && i.type === "id");
      expect(ids, `${m.name} @id`).toHaveLength(1);
      const primary = (await constraints(tableOf(m))).filter((c) => c.type === "p");
      expect(
        primary.map((c) => [c.name, c.columns]),
        `${m.name} primary key`,
      ).toEqual([[`${tableOf(m)}_pkey`, ids[0]!.fields.map((f) => f.name)]]);
    }
  });

  it("has a real foreign key for every relation, with the model's ON DELETE and ON UPDATE, and no others", async () => {
    for (const m of model.models) {
      const table = tableOf(m);
      const relations = m.fields.filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0);
      const expected = relations.map((relation) => {
        const target = model.models.find((x) => x.name === relation.type)!;
        const onDelete = relation.relationOnDelete ?? (relation.isRequired ? "Restrict" : "SetNull");
        return {
          name: `${table}_${relation.relationFromFields!.join("_")}_fkey`,
          columns: relation.relationFromFields,
          referenced_table: tableOf(target),
          referenced_columns: relation.relationToFields,
          on_delete: ACTION_CODE[onDelete],
          on_update: ACTION_CODE[relation.relationOnUpdate ?? "Cascade"],
        };
      });
      const actual = (await constraints(table)).filter((c) => c.type === "f").map(({ type: _, ...fk }) => fk);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(actual.sort(byName), `${m.name} foreign keys`).toEqual(expected.sort(byName));
    }
  });

  it("has no constraints beyond primary and foreign keys (uniques are indexes, as Prisma makes them)", async () => {
    for (const m of model.models) {
      const other = (await constraints(tableOf(m))).filter((c) => c.type !== "p" && c.type !== "f");
      expect(other, m.name).toEqual([]);
    }
  });

  it("has an index for every @@index and @@unique, with Prisma's name, uniqueness and columns in order", async () => {
    for (const m of model.models) {
      const table = tableOf(m);
      const expected = model.indexes
        .filter((i) => i.model === m.name && (i.type === "normal" || i.type === "unique"))
        .map((i) => {
          const fields = i.fields.map((f) => f.name);
          const name = i.dbName ?? `${table}_${fields.join("_")}_${i.type === "unique" ? "key" : "idx"}`;
          return { name, unique: i.type === "unique", partial: false, columns: fields };
        });
      const actual = (await indexes(table))
        .filter((i) => !i.primary && !Object.hasOwn(SEARCH_INDEXES, i.name))
        .map(({ primary: _, ...index }) => index);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(actual.sort(byName), `${m.name} indexes`).toEqual(expected.sort(byName));
    }
  });

  it("has the trigram indexes of search, which the Prisma schema cannot declare, and only those besides", async () => {
    const found: Record<string, string> = {};
    for (const m of model.models) {
      for (const index of await indexes(tableOf(m))) {
        if (Object.hasOwn(SEARCH_INDEXES, index.name)) found[index.name] = `${tableOf(m)}.${index.columns.join(",")}`;
      }
    }
    expect(found).toEqual(SEARCH_INDEXES);
    const methods = await client.query<{ name: string; method: string }>(
      `SELECT i.relname AS name, am.amname AS method FROM pg_class i JOIN pg_am am ON am.oid = i.relam
       WHERE i.relname = ANY($1::text[])`,
      [Object.keys(SEARCH_INDEXES)],
    );
    expect(new Set(methods.rows.map((r) => r.method))).toEqual(new Set(["gin"]));
  });

  it("has a PostgreSQL enum per Prisma enum, values in the model's order", async () => {
    const result = await client.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       WHERE t.typnamespace = current_schema()::regnamespace GROUP BY t.typname`,
    );
    const actual = result.rows
      .map((r) => ({ name: r.name, values: r.values }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const expected = model.enums
      .map((e) => ({ name: e.name, values: e.values.map((v) => v.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(actual).toEqual(expected);
  });
});
