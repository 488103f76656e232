// casebook's PostgreSQL database: one pool per process and the Store over it. Several
// processes, on one machine or many, share the database as one service: every write is atomic
// in PostgreSQL itself, so they need nothing from each other.
import pg from "pg";
import { ServiceUnavailableError } from "../../domain/errors.js";
import type { ChangeWatch, Database } from "../database.js";
import { listenForChanges } from "./pg-change-listener.js";
import { ChangeNotifier } from "./pg-change-notifier.js";
import { redactedLocation } from "./pg-errors.js";
import { pgSession, StatementCounter } from "./pg-session.js";
import { PgShortSearchStats } from "./pg-short-search-stats.js";
import { PgStore } from "./pg-store.js";
import { pgTypeParsers } from "./pg-timestamps.js";

export interface PgDatabaseOptions {
  /** postgres:// or postgresql://, with libpq's options (sslmode, application_name, …). */
  url: string;
  poolSize?: number;
  /** A statement running longer is cancelled by the server (0: no limit). */
  statementTimeoutMs?: number;
  /** How long to wait for a connection, new or from the pool. */
  connectTimeoutMs?: number;
  /** An idle connection of the pool failed (the server restarted, say): report it, the pool replaces it. */
  onIdleError?: (error: Error) => void;
  /** Telling listening processes of committed changes failed: they learn of them with the next. */
  onNotifyError?: (error: Error) => void;
}

export class PgDatabase implements Database {
  readonly engine = "postgresql";
  readonly store: PgStore;
  readonly pool: pg.Pool;
  private readonly counter = new StatementCounter();
  private readonly notifier: ChangeNotifier;
  private closing: Promise<void> | undefined;

  private readonly url: string;
  private readonly connectTimeoutMs: number;

  constructor(options: PgDatabaseOptions) {
    this.url = options.url;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: this.connectTimeoutMs,
      // The server cancels a statement that runs too long; the client gives up a little later,
      // for a server that stopped answering altogether.
      ...(statementTimeoutMs > 0
        ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 1000 }
        : {}),
      // What pg_stat_activity shows; an application_name in the URL wins over it.
      application_name: "casebook",
      types: pgTypeParsers,
    });
    // Without a listener, an idle client's error (the server went away) would end the process.
    this.pool.on("error", (error) => options.onIdleError?.(error));
    // The pool listens to its clients only while they are idle. A client taken out for a
    // transaction or a migration emits 'error' as well when its connection dies (the server
    // shutting down, or ending every session after a backend crashed), and an 'error' nobody
    // listens to ends the process. The holder learns of the failure anyway, from the statement
    // that was running or the next one ("not queryable"), and answers SERVICE_UNAVAILABLE: here
    // it only needs to be heard.
    this.pool.on("connect", (client) => client.on("error", ignoreHeldClientError));
    this.notifier = new ChangeNotifier(this.pool, options.onNotifyError ?? (() => {}));
    this.store = new PgStore(
      pgSession(this.pool, this.counter, false, this.notifier.committed),
      this.counter,
      // Its statement (the statistics of a table's grams, once a minute) is not a request's: not counted.
      new PgShortSearchStats(pgSession(this.pool, new StatementCounter(), false)),
      this.pool,
      this.notifier.committed,
    );
  }

  get location(): string {
    return redactedLocation(this.url);
  }

  get statementsExecuted(): number {
    return this.counter.count;
  }

  /** Notifications on one connection of its own, not the pool's (pg-change-listener.ts). */
  watchChanges(wake: () => void, options: { onError?: (error: Error) => void }): Promise<ChangeWatch> {
    return listenForChanges(this.url, wake, options.onError ?? (() => {}));
  }

  /**
   * Answers within the connect timeout, whatever the statement timeout allows: SELECT 1 needs no
   * statement time, and a server that cannot answer it that soon (hung, or cut off by the
   * network) cannot serve either. A health check that waited longer would hang with it.
   */
  async ping(): Promise<void> {
    const answer = pgSession(this.pool, new StatementCounter(), false).query("SELECT 1");
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ServiceUnavailableError("the database did not answer in time; try again shortly")),
        this.connectTimeoutMs,
      );
    });
    try {
      await Promise.race([answer, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.notifier.close().then(() => this.pool.end());
    return this.closing;
  }
}

function ignoreHeldClientError(): void {}
