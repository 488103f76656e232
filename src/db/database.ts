// An open database of either engine, as the server, scripts and tests hold it.
import type { Store } from "./store.js";

type Engine = "sqlite" | "postgresql";

/** Which engine holds the data, and where: SQLite's file (absolute, or ":memory:"), or PostgreSQL's URL. */
export type DatabaseTarget = { engine: "sqlite"; path: string } | { engine: "postgresql"; url: string };

export interface Database {
  readonly engine: Engine;
  readonly store: Store;
  /** Where the data lives, for logs: a file path, or host and database name. */
  readonly location: string;
  /** Statements sent to the database since it was opened (what the N+1 tests count). */
  readonly statementsExecuted: number;
  /** Resolves when the database answers; rejects when it cannot be reached. */
  ping(): Promise<void>;
  /** Lets the transaction in progress finish, then closes; safe to call twice. */
  close(): Promise<void>;
}
