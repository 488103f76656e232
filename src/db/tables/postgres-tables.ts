// Table access on PostgreSQL: the schema from the catalogs of the current schema, rows read
// page by page on one client inside a REPEATABLE READ, READ ONLY transaction (one snapshot),
// and written by batches of JSON that PostgreSQL turns into rows of the table's own type
// (json_populate_recordset), which casts enums, instants and JSON as the columns declare them.
import type pg from "pg";
import type { PgDatabase } from "../postgres/pg-database.js";
import { translateErrors } from "../postgres/pg-session.js";
import { SHORT_SEARCH_SUFFIX } from "../search-pattern.js";
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

/** The kind of a column from information_schema's data_type. */
function kindOf(dataType: string): ValueKind {
  if (dataType === "integer" || dataType === "bigint" || dataType === "smallint") return "int";
  if (dataType === "double precision" || dataType === "real") return "float";
  if (dataType === "numeric") return "decimal";
  if (dataType === "boolean") return "bool";
  if (dataType.startsWith("timestamp")) return "date";
  if (dataType === "jsonb" || dataType === "json") return "json";
  return "text";
}

// node-postgres hands back instants as Dates, JSON parsed, int4 and float8 as numbers, and
// int8 and numeric as text.
const DECODE: Record<ValueKind, (value: unknown) => unknown> = {
  text: (value) => value,
  int: (value) => Number(value),
  float: (value) => Number(value),
  decimal: (value) => String(value),
  bool: (value) => value,
  date: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  json: (value) => value,
};

/** Rows per INSERT at most; a batch also stops growing past BATCH_BYTES of JSON. */
const BATCH_ROWS = 2000;
const BATCH_BYTES = 4 * 1024 * 1024;

export class PostgresTables implements TableAccess {
  constructor(private readonly db: PgDatabase) {}

  async describe(): Promise<TableInfo[]> {
    const pool = this.db.pool;
    // Tables that hold data only: the short-text indexes of search are derived from the entity
    // tables, and their triggers index every row an import writes.
    const columns = await pool.query<{ table: string; name: string; type: string }>(
      `SELECT table_name AS "table", column_name AS "name", data_type AS "type"
       FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name <> $1 AND right(table_name, $3) <> $2
       ORDER BY table_name, ordinal_position`,
      [MIGRATION_LEDGER, SHORT_SEARCH_SUFFIX, SHORT_SEARCH_SUFFIX.length],
    );
    const keys = await pool.query<{ table: string; key: string[] }>(
      `SELECT c.relname AS "table",
         ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS col(num, ord)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = col.num ORDER BY col.ord) AS "key"
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       WHERE k.contype = 'p' AND k.connamespace = current_schema()::regnamespace`,
    );
    const references = await pool.query<{ table: string; parent: string }>(
      `SELECT DISTINCT c.relname AS "table", p.relname AS "parent"
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace`,
    );
    const tables = new Map<string, TableInfo>();
    for (const column of columns.rows) {
      let table = tables.get(column.table);
      if (!table) {
        table = { name: column.table, columns: [], primaryKey: [], parents: [] };
        tables.set(column.table, table);
      }
      table.columns.push({ name: column.name, kind: kindOf(column.type) });
    }
    for (const { table, key } of keys.rows) tables.get(table)?.primaryKey.push(...key);
    for (const { table, parent } of references.rows) tables.get(table)?.parents.push(parent);
    return parentsFirst([...tables.values()]);
  }

  async schemaVersion(): Promise<string | null> {
    const { rows } = await this.db.pool.query<{ name: string }>(
      `SELECT migration_name AS "name" FROM ${quoteIdent(MIGRATION_LEDGER)}
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1`,
    );
    return rows[0]?.name ?? null;
  }

  snapshot<R>(work: (reader: TableReader) => Promise<R>): Promise<R> {
    return this.withClient("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", (client) =>
      work({ rows: (table, batchSize) => pages(client, table, batchSize) }),
    );
  }

  write<R>(work: (writer: TableWriter) => Promise<R>): Promise<R> {
    return this.withClient("BEGIN", (client) => work(writer(client)));
  }

  /** One client of the pool for a whole transaction: committed when `work` resolves, rolled back if it throws. */
  private async withClient<R>(begin: string, work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await translateErrors(() => this.db.pool.connect());
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

async function* pages(client: pg.PoolClient, table: TableInfo, batchSize: number): AsyncIterable<TableRow[]> {
  const key = table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name);
  const keyList = key.map(quoteIdent).join(", ");
  const columns = table.columns.map((c) => quoteIdent(c.name)).join(", ");
  const from = `SELECT ${columns} FROM ${quoteIdent(table.name)}`;
  let after: unknown[] | undefined;
  for (;;) {
    const { rows } = after
      ? await client.query<TableRow>(
          `${from} WHERE (${keyList}) > (${key.map((_, i) => `$${i + 1}`).join(", ")}) ORDER BY ${keyList} LIMIT $${key.length + 1}`,
          [...after, batchSize],
        )
      : await client.query<TableRow>(`${from} ORDER BY ${keyList} LIMIT $1`, [batchSize]);
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!;
    after = key.map((k) => last[k]);
    yield rows.map((row) => {
      const out: TableRow = {};
      for (const column of table.columns) {
        const value = row[column.name];
        out[column.name] = value === null || value === undefined ? null : DECODE[column.kind](value);
      }
      return out;
    });
    if (rows.length < batchSize) return;
  }
}

function writer(client: pg.PoolClient): TableWriter {
  return {
    insert: async (table, rows) => {
      const statement = `INSERT INTO ${quoteIdent(table.name)}
        SELECT * FROM json_populate_recordset(NULL::${quoteIdent(table.name)}, $1::json)`;
      let batch: string[] = [];
      let bytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await translateErrors(() => client.query(statement, [`[${batch.join(",")}]`]));
        batch = [];
        bytes = 0;
      };
      for (const row of rows) {
        const json = JSON.stringify(row);
        batch.push(json);
        bytes += json.length;
        if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
      }
      await flush();
    },
    count: async (table) => {
      const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS "n" FROM ${quoteIdent(table.name)}`);
      return Number(rows[0]?.n ?? 0);
    },
    deleteAll: async (tables) => {
      for (const table of [...tables].reverse()) await client.query(`DELETE FROM ${quoteIdent(table.name)}`);
    },
    resumeGeneratedKeys: async (tables) => {
      for (const table of tables) {
        for (const column of table.columns) {
          const { rows } = await client.query<{ sequence: string | null }>(
            `SELECT pg_get_serial_sequence($1, $2) AS "sequence"`,
            [quoteIdent(table.name), column.name],
          );
          const sequence = rows[0]?.sequence;
          if (!sequence) continue;
          await client.query(
            `SELECT setval($1::regclass, COALESCE((SELECT MAX(${quoteIdent(column.name)}) FROM ${quoteIdent(table.name)}), 0) + 1, false)`,
            [sequence],
          );
        }
      }
    },
  };
}
