// The data model as Prisma itself reads a schema file (its DMMF), obtained offline by
// running `prisma generate` with only a small generator that writes the DMMF to a file.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { tempDir } from "./database.js";

export const SCHEMA_FILE = path.join(PACKAGE_ROOT, "prisma/schema.prisma");
export const POSTGRES_SCHEMA_FILE = path.join(PACKAGE_ROOT, "prisma/postgresql/schema.prisma");

export interface DmmfField {
  name: string;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt: boolean;
  /** The @db attribute, e.g. ["Timestamptz", ["3"]]; null where the provider's default applies. */
  nativeType?: [string, string[]] | null;
  hasDefaultValue: boolean;
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfIndex {
  model: string;
  type: "id" | "normal" | "unique" | "fulltext";
  isDefinedOnField: boolean;
  name?: string;
  dbName?: string;
  fields: { name: string }[];
}

export interface Datamodel {
  models: DmmfModel[];
  enums: { name: string; values: { name: string }[] }[];
  indexes: DmmfIndex[];
}

export function loadDatamodel(schemaFile: string = SCHEMA_FILE): Datamodel {
  const dir = tempDir("casebook-dmmf-");
  try {
    const output = path.join(dir, "out");
    const generator = path.join(PACKAGE_ROOT, "test/support/dmmf-generator.ts");
    const schema = path.join(dir, "schema.prisma");
    fs.writeFileSync(
      schema,
      fs.readFileSync(schemaFile, "utf8") +
        `\ngenerator dmmf {\n  provider = ${JSON.stringify(`"${process.execPath}" --import tsx "${generator}"`)}\n` +
        `  output   = ${JSON.stringify(output)}\n}\n`,
    );
    const prismaCli = path.join(PACKAGE_ROOT, "node_modules/prisma/build/index.js");
    const run = spawnSync(process.execPath, [prismaCli, "generate", "--schema", schema, "--generator", "dmmf"], {
      cwd: PACKAGE_ROOT,
      encoding: "utf8",
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
    const file = path.join(output, "dmmf.json");
    if (run.status !== 0 || !fs.existsSync(file)) {
      throw new Error(`prisma generate failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { datamodel: Datamodel }).datamodel;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
