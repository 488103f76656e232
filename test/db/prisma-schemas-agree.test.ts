// casebook keeps one Prisma schema per engine (prisma/schema.prisma for SQLite,
// prisma/postgresql/schema.prisma), because Prisma pins one provider per schema and migrations
// folder. Both must describe the same data model: only the provider and native column types may
// differ. Compared as Prisma itself reads them (DMMF).
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Datamodel,
  type DmmfField,
  type DmmfModel,
  loadDatamodel,
  POSTGRES_SCHEMA_FILE,
  SCHEMA_FILE,
} from "../support/prisma-dmmf.js";

let sqlite: Datamodel;
let postgres: Datamodel;

beforeAll(() => {
  sqlite = loadDatamodel(SCHEMA_FILE);
  postgres = loadDatamodel(POSTGRES_SCHEMA_FILE);
});

const modelNamed = (model: Datamodel, name: string) => model.models.find((m) => m.name === name)!;
const withoutNativeType = ({ nativeType: _, ...field }: DmmfField) => field;
/**
 * The change feed's positions are 64-bit on both engines: BigInt on PostgreSQL, Int on SQLite,
 * whose INTEGER is 64-bit already and where only an Int id gets AUTOINCREMENT.
 */
const FEED_POSITIONS = new Set(["Change.seq", "ChangeFeed.prunedThrough"]);
const asOnSqlite = (model: string) => (field: DmmfField) =>
  FEED_POSITIONS.has(`${model}.${field.name}`) ? { ...field, type: "Int" } : field;
const relationFields = (m: DmmfModel) => m.fields.filter((f) => f.kind === "object");
const providerOf = (file: string) =>
  /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"(\w+)"/.exec(fs.readFileSync(file, "utf8"))?.[1];

describe("the SQLite and PostgreSQL Prisma schemas", () => {
  it("name their own providers", () => {
    expect(providerOf(SCHEMA_FILE)).toBe("sqlite");
    expect(providerOf(POSTGRES_SCHEMA_FILE)).toBe("postgresql");
  });

  it("declare the same models, with the same table names", () => {
    const names = (model: Datamodel) => model.models.map((m) => [m.name, m.dbName]).sort();
    expect(names(postgres)).toEqual(names(sqlite));
  });

  it("give every model the same fields: names, types, optionality, lists, ids, defaults, @updatedAt", () => {
    for (const { name } of sqlite.models) {
      const expected = modelNamed(sqlite, name).fields.map(withoutNativeType);
      expect(modelNamed(postgres, name).fields.map(withoutNativeType).map(asOnSqlite(name)), name).toEqual(expected);
    }
  });

  it("relate the models the same way, with the same ON DELETE and ON UPDATE", () => {
    for (const { name } of sqlite.models) {
      const relations = (model: Datamodel) =>
        relationFields(modelNamed(model, name)).map((f) => ({
          field: f.name,
          to: f.type,
          relation: f.relationName,
          from: f.relationFromFields,
          references: f.relationToFields,
          onDelete: f.relationOnDelete,
          onUpdate: f.relationOnUpdate,
        }));
      expect(relations(postgres), name).toEqual(relations(sqlite));
    }
  });

  it("declare the same enums, values in the same order", () => {
    expect(postgres.enums).toEqual(sqlite.enums);
    expect(postgres.enums.map((e) => e.name).sort()).toEqual([
      "ChangeKind",
      "EntityEvent",
      "EntityStatus",
      "EntityType",
    ]);
  });

  it("declare the same ids, indexes and unique constraints, columns in the same order", () => {
    expect(postgres.indexes).toEqual(sqlite.indexes);
    const types = new Set(sqlite.indexes.map((i) => i.type));
    expect([...types].sort()).toEqual(["id", "normal", "unique"]);
  });

  it("differ only in native types: timestamptz(3) for every DateTime on PostgreSQL, none on SQLite", () => {
    for (const model of sqlite.models) {
      for (const field of model.fields) {
        const where = `${model.name}.${field.name}`;
        expect(field.nativeType ?? null, `${where} on SQLite`).toBeNull();
        const twin = modelNamed(postgres, model.name).fields.find((f) => f.name === field.name)!;
        expect(twin.nativeType ?? null, `${where} on PostgreSQL`).toEqual(
          field.type === "DateTime" ? ["Timestamptz", ["3"]] : null,
        );
      }
    }
  });
});
