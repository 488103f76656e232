// The migrations must create exactly the schema that prisma/schema.prisma describes, or Prisma
// Client, Studio and `prisma migrate` would disagree with the database. The model comes from
// Prisma itself (its DMMF), not from a copy kept by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_STATUSES, RECORDED_EVENTS } from "../../src/domain/lifecycle.js";
import { openTempDatabase, type TempDatabase } from "../support/database.js";
import { type Datamodel, type DmmfField, type DmmfModel, loadDatamodel } from "../support/prisma-dmmf.js";

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}
interface ForeignKeyInfo {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string;
  on_update: string;
  on_delete: string;
}
interface IndexListInfo {
  name: string;
  unique: number;
  origin: "c" | "u" | "pk";
  partial: number;
}

// The FTS5 trigram indexes written by hand in the search migration: index → the texts it holds.
const SEARCH_INDEXES: Record<string, string[]> = {
  Mission_search: ["name", "description"],
  Job_search: ["name"],
  Case_search: ["name", "description"],
};

// The short-text indexes of the migration "short_text_search" (characters and pairs of the same texts).
const SHORT_SEARCH_INDEXES: Record<string, string[]> = {
  Mission_short_search: ["name", "description"],
  Job_short_search: ["name"],
  Case_short_search: ["name", "description"],
};

// Column types Prisma's SQLite connector gives each scalar type.
const SQLITE_TYPE: Record<string, string> = {
  String: "TEXT",
  Int: "INTEGER",
  BigInt: "BIGINT",
  Float: "REAL",
  Decimal: "DECIMAL",
  Boolean: "BOOLEAN",
  DateTime: "DATETIME",
  Json: "JSONB",
  Bytes: "BLOB",
};

// Prisma's referential actions as SQLite reports them; unset means SetNull on an optional
// relation and Restrict on a required one.
const ON_DELETE: Record<string, string> = {
  Cascade: "CASCADE",
  SetNull: "SET NULL",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetDefault: "SET DEFAULT",
};

let model: Datamodel;
let t: TempDatabase;

beforeAll(() => {
  model = loadDatamodel();
  t = openTempDatabase();
});
afterAll(() => t?.dispose());

const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const columnFields = (m: DmmfModel) => m.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
const columns = (table: string) => t.db.pragma<ColumnInfo[]>(`table_info("${table}")`);
const foreignKeys = (table: string) => t.db.pragma<ForeignKeyInfo[]>(`foreign_key_list("${table}")`);
const indexColumns = (index: string) =>
  t.db
    .pragma<{ seqno: number; name: string }[]>(`index_info("${index}")`)
    .sort((a, b) => a.seqno - b.seqno)
    .map((c) => c.name);

describe("the Prisma data model", () => {
  it("is the one the contract describes", () => {
    expect(model.models.map((m) => m.name).sort()).toEqual([
      "Case",
      "CaseUpdate",
      "Change",
      "ChangeFeed",
      "Job",
      "Mission",
      "Transition",
    ]);
    expect(model.indexes.length).toBeGreaterThan(0);
  });
});

describe("the migrated database", () => {
  it("has a table per model and no others besides Prisma's migration ledger and the search indexes", () => {
    const tables = t.db
      .all<{ name: string }>(
        `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'`,
      )
      .map((r) => r.name)
      .sort();
    expect(tables).toEqual([...model.models.map(tableOf), "_prisma_migrations"].sort());
    const virtual = t.db
      .all<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'`)
      .sort((a, b) => a.name.localeCompare(b.name));
    const indexes = { ...SEARCH_INDEXES, ...SHORT_SEARCH_INDEXES };
    expect(virtual.map((v) => v.name)).toEqual(Object.keys(indexes).sort());
    for (const { name, sql } of virtual) {
      if (name in SEARCH_INDEXES) {
        // External content over the entity table, case-folded trigrams of exactly its searched texts.
        expect(sql, name).toContain(`content = '${name.replace(/_search$/, "")}'`);
      } else {
        // Contentless, without positions: which rows hold a character or a pair, nothing more.
        expect(sql, name).toContain("content = '', detail = none");
      }
      expect(sql, name).toContain("tokenize = 'trigram case_sensitive 0'");
      expect(
        columns(name).map((c) => c.name),
        name,
      ).toEqual(indexes[name]);
    }
    // Every other table the migrations made is one of these indexes' shadow tables.
    const shadows = t.db
      .all<{ name: string }>(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'`)
      .map((r) => r.name);
    expect(shadows.length).toBeGreaterThan(0);
    for (const shadow of shadows) expect(Object.keys(indexes).some((i) => shadow.startsWith(`${i}_`))).toBe(true);
  });

  it("has exactly one column per scalar field, with the field's type and nullability", () => {
    for (const m of model.models) {
      const actual = columns(tableOf(m));
      const fields = columnFields(m);
      expect(actual.map((c) => c.name).sort(), m.name).toEqual(fields.map((f) => f.name).sort());
      for (const field of fields) {
        const column = actual.find((c) => c.name === field.name)!;
        const where = `${m.name}.${field.name}`;
        expect(column.notnull === 1, `${where} NOT NULL`).toBe(field.isRequired);
        expect(column.type, `${where} type`).toBe(field.kind === "enum" ? "TEXT" : SQLITE_TYPE[field.type]);
      }
    }
  });

  it("gives a column a database default exactly where the model has one Prisma puts in the database", () => {
    const isDatabaseDefault = (f: DmmfField) =>
      f.hasDefaultValue &&
      !(
        typeof f.default === "object" &&
        f.default !== null &&
        (f.default as { name?: string }).name === "autoincrement"
      );
    for (const m of model.models) {
      const actual = columns(tableOf(m));
      for (const field of columnFields(m)) {
        const column = actual.find((c) => c.name === field.name)!;
        expect(column.dflt_value !== null, `${m.name}.${field.name} default`).toBe(isDatabaseDefault(field));
      }
    }
  });

  it("has a real foreign key for every relation, with the model's ON DELETE action", () => {
    for (const m of model.models) {
      const table = tableOf(m);
      const relations = m.fields.filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0);
      const actual = foreignKeys(table);
      // One foreign key per relation, and nothing the model does not know about.
      expect(new Set(actual.map((fk) => fk.id)).size, `${m.name} foreign keys`).toBe(relations.length);
      for (const relation of relations) {
        const target = model.models.find((x) => x.name === relation.type)!;
        const matches = actual.filter(
          (fk) => fk.table === tableOf(target) && relation.relationFromFields!.includes(fk.from),
        );
        const where = `${m.name}.${relation.name}`;
        expect(
          matches.sort((a, b) => a.seq - b.seq).map((fk) => [fk.from, fk.to]),
          where,
        ).toEqual(relation.relationFromFields!.map((from, i) => [from, relation.relationToFields![i]]));
        const expected = relation.relationOnDelete ?? (relation.isRequired ? "Restrict" : "SetNull");
        for (const fk of matches) expect(fk.on_delete, `${where} ON DELETE`).toBe(ON_DELETE[expected]);
      }
    }
  });

  it("has ON DELETE CASCADE wherever the contract promises it", () => {
    const cascades = model.models.flatMap((m) =>
      m.fields
        .filter((f) => f.relationOnDelete === "Cascade")
        .map((f) => `${m.name}.${f.relationFromFields!.join(",")}`),
    );
    expect(cascades.sort()).toEqual(
      [
        "Job.missionId",
        "Case.jobId",
        "CaseUpdate.caseId",
        "Transition.missionId",
        "Transition.jobId",
        "Transition.caseId",
      ].sort(),
    );
  });

  it("has the model's primary key on every table, columns in order", () => {
    for (const m of model.models) {
      const ids = model.indexes.filter((i) => i.model === m.name && i.type === "id");
      expect(ids, `${m.name} @id`).toHaveLength(1);
      const pk = columns(tableOf(m))
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      expect(pk, `${m.name} primary key`).toEqual(ids[0]!.fields.map((f) => f.name));
    }
  });

  it("has an index for every @@index and @@unique, with Prisma's name, uniqueness and columns in order", () => {
    for (const m of model.models) {
      const table = tableOf(m);
      const expected = model.indexes
        .filter((i) => i.model === m.name && (i.type === "normal" || i.type === "unique"))
        .map((i) => {
          const fields = i.fields.map((f) => f.name);
          const name = i.dbName ?? `${table}_${fields.join("_")}_${i.type === "unique" ? "key" : "idx"}`;
          return { name, unique: i.type === "unique", columns: fields };
        });
      const actual = t.db
        .pragma<IndexListInfo[]>(`index_list("${table}")`)
        .filter((i) => i.origin !== "pk")
        .map((i) => ({ name: i.name, unique: i.unique === 1, columns: indexColumns(i.name) }));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(actual.sort(byName), `${m.name} indexes`).toEqual(expected.sort(byName));
    }
  });

  it("uses the statuses and events of the domain as Prisma enums", () => {
    const values = (name: string) => model.enums.find((e) => e.name === name)?.values.map((v) => v.name);
    expect(values("EntityStatus")).toEqual([...ENTITY_STATUSES]);
    expect(values("EntityEvent")).toEqual([...RECORDED_EVENTS]);
    expect(values("EntityType")).toEqual(["MISSION", "JOB", "CASE"]);
  });
});
