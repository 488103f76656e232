// Table access on SQLite: the schema from sqlite_master and PRAGMAs, values in the forms the
// repositories write them (codec.ts), rows read on the writer connection inside one read
// transaction (a snapshot under WAL) and written inside one write transaction.
import { decodeBoolean, decodeJson, decodeOptionalDate, encodeBoolean, encodeDate } from "../sqlite/codec.js";
import type { SqlParam } from "../sqlite/sql-database.js";
import type { SqliteDatabase } from "../sqlite/sqlite-database.js";
import {
  MIGRATION_LEDGER,
  parentsFirst,
  quoteIdent,
  type TableAccess,
  type TableInfo,
  type TableReader,
  type TableRow,
  type TableWriter,
  type ValueKind,
} from "./table-access.js";

/** The kind of a column from its declared type, as Prisma's SQLite migrations write them. */
function kindOf(declared: string): ValueKind {
  const type = declared.toUpperCase();
  // SQLite's own rule: a declared type containing INT has integer affinity (INTEGER, and BIGINT
  // for costs in micro-units).
  if (type.includes("INT")) return "int";
  if (type === "REAL" || type.startsWith("DOUBLE") || type === "FLOAT") return "float";
  if (type.startsWith("DECIMAL") || type.startsWith("NUMERIC")) return "decimal";
  if (type === "BOOLEAN") return "bool";
  if (type === "DATETIME") return "date";
  if (type === "JSONB" || type === "JSON") return "json";
  return "text";
}

const DECODE: Record<ValueKind, (value: unknown) => unknown> = {
  text: (value) => value,
  int: (value) => Number(value),
  float: (value) => Number(value),
  decimal: (value) => String(value),
  bool: decodeBoolean,
  date: (value) => decodeOptionalDate(value)?.toISOString(),
  json: decodeJson,
};

const ENCODE: Record<ValueKind, (value: unknown) => SqlParam> = {
  text: (value) => value as string,
  int: (value) => value as number,
  float: (value) => value as number,
  decimal: (value) => value as string,
  bool: (value) => encodeBoolean(value as boolean),
  date: (value) => encodeDate(new Date(value as string)),
  json: (value) => JSON.stringify(value),
};

export class SqliteTables implements TableAccess {
  constructor(private readonly db: SqliteDatabase) {}

  async describe(): Promise<TableInfo[]> {
    const sql = this.db.sql;
    // Tables that hold data only: the search indexes (FTS5 virtual tables, "virtual") and the
    // tables they keep their trigrams in ("shadow") are derived from the entity tables, and
    // their triggers index every row an import writes.
    const names = sql
      .all<{ name: string }>(
        `SELECT "name" FROM sqlite_master WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND "name" <> ?
           AND "name" IN (SELECT "name" FROM pragma_table_list WHERE "schema" = 'main' AND "type" = 'table')`,
        [MIGRATION_LEDGER],
      )
      .map((row) => row.name);
    const tables = names.map((name): TableInfo => {
      const columns = sql.all<{ name: string; type: string; pk: number }>(
        `SELECT "name", "type", "pk" FROM pragma_table_info(?) ORDER BY "cid"`,
        [name],
      );
      const parents = sql.all<{ table: string }>(`SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, [name]);
      return {
        name,
        columns: columns.map((c) => ({ name: c.name, kind: kindOf(c.type) })),
        primaryKey: columns
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
        parents: parents.map((p) => p.table),
      };
    });
    return parentsFirst(tables);
  }

  async schemaVersion(): Promise<string | null> {
    const row = this.db.sql.get<{ name: string }>(
      `SELECT "migration_name" AS "name" FROM ${quoteIdent(MIGRATION_LEDGER)}
       WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL ORDER BY "migration_name" DESC LIMIT 1`,
    );
    return row?.name ?? null;
  }

  async snapshot<R>(work: (reader: TableReader) => Promise<R>): Promise<R> {
    // The writer connection, kept from this process's other work for the length of the read; a
    // deferred transaction takes no write lock, so other processes keep writing meanwhile.
    const sql = this.db.sql;
    return await this.db.store.exclusive(async () => {
      sql.run("BEGIN DEFERRED");
      try {
        return await work({ rows: (table, batchSize) => this.pages(table, batchSize) });
      } finally {
        sql.rollback();
      }
    });
  }

  private async *pages(table: TableInfo, batchSize: number): AsyncIterable<TableRow[]> {
    const columns = table.columns.map((c) => quoteIdent(c.name)).join(", ");
    const key = (table.primaryKey.length > 0 ? table.primaryKey : ["rowid"]).map(quoteIdent);
    const first = `SELECT ${columns}, ${key.join(", ")} FROM ${quoteIdent(table.name)} ORDER BY ${key.join(", ")} LIMIT ?`;
    const next = `SELECT ${columns}, ${key.join(", ")} FROM ${quoteIdent(table.name)}
      WHERE (${key.join(", ")}) > (${key.map(() => "?").join(", ")}) ORDER BY ${key.join(", ")} LIMIT ?`;
    let after: SqlParam[] | undefined;
    for (;;) {
      const { rows } = after
        ? this.db.sql.allArrays(next, [...after, batchSize])
        : this.db.sql.allArrays(first, [batchSize]);
      if (rows.length === 0) return;
      const n = table.columns.length;
      yield rows.map((row) => {
        const out: TableRow = {};
        table.columns.forEach((column, i) => {
          const value = row[i];
          out[column.name] = value === null || value === undefined ? null : DECODE[column.kind](value);
        });
        return out;
      });
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1]!.slice(n) as SqlParam[];
    }
  }

  async write<R>(work: (writer: TableWriter) => Promise<R>): Promise<R> {
    const sql = this.db.sql;
    return await this.db.store.exclusive(async () => {
      sql.begin();
      try {
        const result = await work(this.writer());
        sql.commit();
        return result;
      } catch (error) {
        sql.rollback();
        throw error;
      }
    });
  }

  private writer(): TableWriter {
    const sql = this.db.sql;
    return {
      insert: async (table, rows) => {
        const statement = `INSERT INTO ${quoteIdent(table.name)} (${table.columns.map((c) => quoteIdent(c.name)).join(", ")})
          VALUES (${table.columns.map(() => "?").join(", ")})`;
        for (const row of rows) {
          sql.run(
            statement,
            table.columns.map((c) => {
              const value = row[c.name];
              return value === null || value === undefined ? null : ENCODE[c.kind](value);
            }),
          );
        }
      },
      count: async (table) => sql.get<{ n: number }>(`SELECT COUNT(*) AS "n" FROM ${quoteIdent(table.name)}`)?.n ?? 0,
      deleteAll: async (tables) => {
        for (const table of [...tables].reverse()) sql.run(`DELETE FROM ${quoteIdent(table.name)}`);
      },
      // AUTOINCREMENT keys already continue after the largest id inserted (sqlite_sequence).
      resumeGeneratedKeys: async () => {},
    };
  }
}
