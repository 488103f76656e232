// casebook's SQLite database: the writer connection, a reader connection for files, and the
// Store over them.
import type { ChangeWatch, Database } from "../database.js";
import { SqlDatabase, type SqlDatabaseOptions } from "./sql-database.js";
import { SqliteStore } from "./sqlite-store.js";

export class SqliteDatabase implements Database {
  readonly engine = "sqlite";
  readonly store: SqliteStore;
  /** The connection that writes (and that migrations and tests of raw rows use). */
  readonly sql: SqlDatabase;
  private readonly reader?: SqlDatabase;

  constructor(options: SqlDatabaseOptions) {
    this.sql = new SqlDatabase(options);
    try {
      this.reader = this.sql.isMemory ? undefined : new SqlDatabase(options);
    } catch (error) {
      this.sql.close();
      throw error;
    }
    this.store = new SqliteStore(this.sql, this.reader);
  }

  /**
   * Makes the reader see the schema as it is now. A connection keeps the schema it loaded when it
   * opened; a statement it prepares expands `SELECT *` from that copy, so after a migration on the
   * writer (or another process) changed a table, the reader's rows would not have the columns
   * its statements were prepared with. Running one statement makes it notice and reload.
   */
  refreshSchema(): void {
    this.reader?.get("SELECT count(*) FROM sqlite_schema");
  }

  get location(): string {
    return this.sql.filename;
  }

  get statementsExecuted(): number {
    return this.sql.statementsExecuted + (this.reader?.statementsExecuted ?? 0);
  }

  get isOpen(): boolean {
    return this.sql.isOpen;
  }

  /**
   * Own commits wake at once (SqliteStore's commit listeners); other processes' are polled for.
   * A poll asks the connection's `data_version`, which changes when another connection commits
   * to the file: a poll that finds nothing new costs no read of the feed, so processes can look
   * often (CHANGE_POLL_INTERVAL_MS) and a write elsewhere reaches subscribers here soon.
   */
  async watchChanges(wake: () => void, options: { pollIntervalMs: number }): Promise<ChangeWatch> {
    const unlisten = this.store.onCommit(wake);
    const dataVersion = () => this.sql.pragma<{ data_version: number }[]>("data_version")[0]?.data_version;
    let seen = this.sql.isMemory ? undefined : dataVersion();
    const timer = this.sql.isMemory
      ? undefined
      : setInterval(() => {
          if (!this.sql.isOpen) return;
          const now = dataVersion();
          if (now === seen) return;
          seen = now;
          wake();
        }, options.pollIntervalMs);
    timer?.unref();
    return {
      close: async () => {
        unlisten();
        clearInterval(timer);
      },
    };
  }

  async ping(): Promise<void> {
    (this.reader ?? this.sql).get("SELECT 1");
  }

  close(): Promise<void> {
    return this.store.exclusive(() => this.closeNow());
  }

  /** Closes at once, whatever is in progress (tests of a process that stops dead). */
  closeNow(): void {
    this.reader?.close();
    this.sql.close();
  }
}
