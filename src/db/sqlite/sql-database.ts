// The one SQLite connection of a process, with the settings every part of casebook relies on.
// better-sqlite3 is synchronous, so a unit of work never interleaves with another in this
// process; across processes, write transactions take SQLite's write lock up front (BEGIN
// IMMEDIATE) and wait for it through busy_timeout instead of failing with SQLITE_BUSY.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export type SqlParam = string | number | bigint | null | Buffer;
export type SqlRow = Record<string, unknown>;

/** Rows as arrays, in the order of `columns` (the same array object for every call of a statement). */
export interface SqlRowSet {
  columns: readonly string[];
  rows: unknown[][];
}

export interface SqlDatabaseOptions {
  /** A file path, or ":memory:". */
  filename: string;
  busyTimeoutMs?: number;
  /** SQLite `synchronous`: FULL survives power loss, NORMAL survives process crashes. */
  synchronous?: "FULL" | "NORMAL";
}

export class SqlDatabase {
  readonly filename: string;
  private readonly connection: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly arrayStatements = new Map<string, { statement: Database.Statement; columns: readonly string[] }>();
  private statementCount = 0;
  private closed = false;
  // One transaction wrapper for the connection, built once: better-sqlite3 builds a new set of
  // wrapper functions on every transaction() call, work every write would repeat for nothing
  // (BENCHMARKS.md).
  private readonly immediate: (work: () => unknown) => unknown;

  constructor(options: SqlDatabaseOptions) {
    this.filename = options.filename;
    if (options.filename !== ":memory:") {
      fs.mkdirSync(path.dirname(path.resolve(options.filename)), { recursive: true });
    }
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.connection = new Database(options.filename, { timeout: busyTimeoutMs });
    this.enableWal(busyTimeoutMs);
    this.connection.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
    this.connection.pragma("foreign_keys = ON");
    this.immediate = this.connection.transaction((work: () => unknown) => work()).immediate;
  }

  get isMemory(): boolean {
    return this.filename === ":memory:";
  }

  /** SQL statements run since the connection opened (what the N+1 tests count). */
  get statementsExecuted(): number {
    return this.statementCount;
  }

  all<T = SqlRow>(sql: string, params: readonly SqlParam[] = []): T[] {
    this.statementCount++;
    return this.prepare(sql).all(...params) as T[];
  }

  /**
   * Like all(), with each row as an array. better-sqlite3 builds an object with a key per column
   * for every row, which costs more than SQLite reading it (BENCHMARKS.md); the repositories
   * build their records from the arrays directly.
   */
  allArrays(sql: string, params: readonly SqlParam[] = []): SqlRowSet {
    this.statementCount++;
    let prepared = this.arrayStatements.get(sql);
    if (!prepared) {
      const statement = this.connection.prepare(sql).raw(true);
      prepared = { statement, columns: statement.columns().map((c) => c.name) };
      this.arrayStatements.set(sql, prepared);
    }
    return { columns: prepared.columns, rows: prepared.statement.all(...params) as unknown[][] };
  }

  get<T = SqlRow>(sql: string, params: readonly SqlParam[] = []): T | undefined {
    this.statementCount++;
    return this.prepare(sql).get(...params) as T | undefined;
  }

  run(sql: string, params: readonly SqlParam[] = []): { changes: number } {
    this.statementCount++;
    const { changes } = this.prepare(sql).run(...params);
    return { changes };
  }

  /** Runs a script of several statements (migrations), outside the statement cache. */
  exec(sql: string): void {
    this.statementCount++;
    this.connection.exec(sql);
  }

  pragma<T = unknown>(source: string): T {
    return this.connection.pragma(source) as T;
  }

  /**
   * Runs `work` in one write transaction: all of it is committed, or, if it throws, none of it.
   * Nested calls join the outer transaction.
   */
  transaction<T>(work: () => T): T {
    if (this.connection.inTransaction) return work();
    return this.immediate(work) as T;
  }

  /**
   * Runs synchronous reads in one read transaction, so that they all see one snapshot of the
   * database (WAL), whatever another process commits meanwhile. Inside a transaction they see
   * its snapshot already.
   */
  readSnapshot<T>(work: () => T): T {
    if (this.connection.inTransaction) return work();
    this.run("BEGIN");
    try {
      return work();
    } finally {
      if (this.connection.inTransaction) this.run("COMMIT");
    }
  }

  /**
   * Opens a write transaction that spans awaits: the caller guarantees that nothing else uses
   * this connection until commit() or rollback() (sqlite-store.ts holds a lock for that).
   */
  begin(): void {
    this.run("BEGIN IMMEDIATE");
  }

  commit(): void {
    this.run("COMMIT");
  }

  /** Rolls back the open transaction, if SQLite has not already done so after an error. */
  rollback(): void {
    if (this.connection.inTransaction) this.run("ROLLBACK");
  }

  get inTransaction(): boolean {
    return this.connection.inTransaction;
  }

  /** Checkpoints the WAL into the main file and closes; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.isMemory) {
      try {
        this.connection.pragma("wal_checkpoint(TRUNCATE)");
      } catch {
        // Another process holds the database; its own close will checkpoint.
      }
    }
    this.connection.close();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * WAL is a property of the file, so only its first opener has to switch it. SQLite takes the
   * lock for that switch without calling the busy handler: processes opening a new file at the
   * same moment get SQLITE_BUSY here, so retry for as long as busy_timeout would have waited.
   */
  private enableWal(busyTimeoutMs: number): void {
    const deadline = Date.now() + busyTimeoutMs;
    for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 50)) {
      try {
        if (this.connection.pragma("journal_mode", { simple: true }) !== "wal")
          this.connection.pragma("journal_mode = WAL");
        return;
      } catch (error) {
        const busy = String((error as { code?: unknown }).code).startsWith("SQLITE_BUSY");
        if (!busy || Date.now() >= deadline) throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delayMs);
      }
    }
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
