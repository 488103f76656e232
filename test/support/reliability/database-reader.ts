// Reads what the servers wrote, in the same SQL on either engine: parameters are written `?`
// (numbered for PostgreSQL here), numbers come back as numbers and JSON columns as values.
import Database from "better-sqlite3";
import pg from "pg";
import type { Engine } from "./engines.js";

type Row = Record<string, any>;

export interface DatabaseReader {
  readonly engine: Engine;
  all<T extends Row = Row>(sql: string, ...params: unknown[]): Promise<T[]>;
  get<T extends Row = Row>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  /** The `n` of a `SELECT count(*) AS n …`. */
  count(sql: string, ...params: unknown[]): Promise<number>;
  /** Problems the engine itself finds in the file or database (SQLite's integrity checks). */
  engineChecks(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openReader(engine: Engine, url: string): Promise<DatabaseReader> {
  return engine === "sqlite" ? sqliteReader(url) : postgresReader(url);
}

/** JSON columns: text in SQLite, already parsed by pg. */
export function jsonValue(value: unknown): any {
  return typeof value === "string" ? JSON.parse(value) : value;
}

function sqliteReader(file: string): DatabaseReader {
  // Read-write, so that SQLite recovers the WAL a killed writer left, as the server would.
  const db = new Database(file, { timeout: 10_000 });
  const reader: DatabaseReader = {
    engine: "sqlite",
    all: async <T extends Row>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    get: async <T extends Row>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T | undefined,
    count: async (sql, ...params) => Number((db.prepare(sql).get(...params) as { n: number | bigint }).n),
    async engineChecks() {
      const problems: string[] = [];
      const integrity = db.pragma("integrity_check") as { integrity_check: string }[];
      if (integrity.length !== 1 || integrity[0]!.integrity_check !== "ok")
        problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
      const fk = db.pragma("foreign_key_check") as unknown[];
      if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
      return problems;
    },
    close: async () => void db.close(),
  };
  return reader;
}

async function postgresReader(url: string): Promise<DatabaseReader> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const all = async <T extends Row = Row>(sql: string, ...params: unknown[]): Promise<T[]> =>
    (await client.query<T>(numbered(sql), params)).rows;
  return {
    engine: "postgresql",
    all,
    async get<T extends Row = Row>(sql: string, ...params: unknown[]): Promise<T | undefined> {
      const rows: T[] = await all<T>(sql, ...params);
      return rows[0];
    },
    // count(*) is a bigint, which pg returns as text.
    count: async (sql, ...params) => Number((await all<{ n: string }>(sql, ...params))[0]!.n),
    // The server enforces foreign keys and keeps its files consistent itself.
    engineChecks: async () => [],
    close: () => client.end(),
  };
}
