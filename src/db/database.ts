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
  /**
   * Calls `wake` whenever changes may have been appended to the change feed: at once for this
   * process's own commits, and for other processes' as the engine allows (PostgreSQL notifies;
   * a SQLite file is looked at every `pollIntervalMs`). `wake` reads nothing itself: the caller
   * reads the feed after the position it holds.
   */
  watchChanges(
    wake: () => void,
    options: { pollIntervalMs: number; onError?: (error: Error) => void },
  ): Promise<ChangeWatch>;
  /** Resolves when the database answers; rejects when it cannot be reached. */
  ping(): Promise<void>;
  /** Lets the transaction in progress finish, then closes; safe to call twice. */
  close(): Promise<void>;
}

export interface ChangeWatch {
  close(): Promise<void>;
}
