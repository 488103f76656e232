// A dump moves between engines: SQLite to PostgreSQL and back, every row arrives with the same
// values (PostgreSQL's jsonb keeps object keys in an order of its own, so rows are compared as
// values, not as text).
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { importDump } from "../../src/data-movement/ndjson-import.js";
import { importTinyDb } from "../../src/data-movement/tinydb/tinydb-import.js";
import { openDatabase, openSqliteDatabase } from "../../src/db/open.js";
import { createServices } from "../../src/services/services.js";
import { tempDir } from "../support/database.js";
import { dumpOf, sampleData, streamOf, TINYDB_FIXTURE } from "../support/dumps.js";
import { createMigratedTestDatabase, type TestDatabase } from "../support/postgres.js";

/** The rows of a dump as values: each row with sorted keys, in sorted order. */
function rowsOf(dump: string): string[] {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  return dump
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((line) => JSON.stringify(sorted(JSON.parse(line))))
    .sort();
}

describe("a dump between SQLite and PostgreSQL", () => {
  const dir = tempDir("casebook-cross-");
  let postgres: TestDatabase | undefined;
  afterAll(async () => {
    await postgres?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("goes from SQLite to PostgreSQL and back with every row's values", async () => {
    const { db: source } = openSqliteDatabase({ databasePath: `${dir}/source.db` });
    await sampleData(createServices(source.store));
    await importTinyDb(source, TINYDB_FIXTURE);
    const sqliteDump = await dumpOf(source);
    await source.close();

    postgres = await createMigratedTestDatabase();
    const { db: pg } = await openDatabase({ database: { engine: "postgresql", url: postgres.url } });
    await importDump(pg, streamOf(sqliteDump));
    const pgDump = await dumpOf(pg);
    await pg.close();
    expect(rowsOf(pgDump)).toEqual(rowsOf(sqliteDump));

    const { db: back } = openSqliteDatabase({ databasePath: `${dir}/back.db` });
    await importDump(back, streamOf(pgDump));
    const backDump = await dumpOf(back);
    await back.close();
    expect(rowsOf(backDump)).toEqual(rowsOf(sqliteDump));
    const header = (dump: string) => JSON.parse(dump.slice(0, dump.indexOf("\n")));
    expect(header(backDump)).toMatchObject({ engine: "sqlite", migration: header(sqliteDump).migration });
  });
});
