// The Store on PostgreSQL. Outside a transaction every call is one statement on the pool,
// committed on its own (a lifecycle event's write is a single statement, so it needs no
// transaction). A transaction takes one client from the pool for its whole work, and is run
// again, a bounded number of times, when PostgreSQL aborts it as a serialization failure or a
// deadlock.
import type pg from "pg";
import { ServiceUnavailableError } from "../../domain/errors.js";
import { ENTITY_TABLES } from "../entity-tables.js";
import type {
  CaseTotalsStore,
  CaseUpdateStore,
  ChangeStore,
  EntityStores,
  Store,
  TransitionStore,
  WorkflowStore,
} from "../store.js";
import { PgCaseTotalsRepository } from "./pg-case-totals-repository.js";
import { PgCaseUpdateRepository } from "./pg-case-update-repository.js";
import { CHANGE_FLUSH_SQL, CHANGE_PENDING_SQL, PgChangeRepository } from "./pg-change-log.js";
import { PgEntityRepository } from "./pg-entity-repository.js";
import { isRetryableConflict } from "./pg-errors.js";
import { type PgSession, pgSession, type StatementCounter, translateErrors } from "./pg-session.js";
import type { PgShortSearchStats } from "./pg-short-search-stats.js";
import { PgTransitionRepository } from "./pg-transition-repository.js";
import { PgWorkflowRepository } from "./pg-workflow-repository.js";

const MAX_TRANSACTION_ATTEMPTS = 5;

/** Connections whose "ChangePending" table exists (it lives as long as the connection). */
const withPendingChanges = new WeakSet<pg.PoolClient>();

export class PgStore implements Store {
  readonly entities: EntityStores;
  readonly transitions: TransitionStore;
  readonly caseUpdates: CaseUpdateStore;
  readonly workflow: WorkflowStore;
  readonly caseTotals: CaseTotalsStore;
  readonly changes: ChangeStore;

  /**
   * `pool` is left out for a transaction's store, whose `transaction` joins; `committedToFeed` is
   * told when a transaction that appended to the change feed has committed.
   */
  constructor(
    session: PgSession,
    private readonly counter: StatementCounter,
    private readonly searchStats: PgShortSearchStats,
    private readonly pool?: pg.Pool,
    private readonly committedToFeed?: () => void,
  ) {
    this.entities = {
      Mission: new PgEntityRepository(session, ENTITY_TABLES.Mission, searchStats),
      Job: new PgEntityRepository(session, ENTITY_TABLES.Job, searchStats),
      Case: new PgEntityRepository(session, ENTITY_TABLES.Case, searchStats),
    };
    this.transitions = new PgTransitionRepository(session);
    this.caseUpdates = new PgCaseUpdateRepository(session);
    this.workflow = new PgWorkflowRepository(session);
    this.caseTotals = new PgCaseTotalsRepository(session);
    this.changes = new PgChangeRepository(session);
  }

  async transaction<R>(work: (tx: Store) => Promise<R>): Promise<R> {
    if (!this.pool) return work(this);
    for (let attempt = 1; ; attempt++) {
      const client = await translateErrors(() => this.pool!.connect());
      let broken: Error | undefined;
      try {
        const session = pgSession(client, this.counter, true);
        if (!withPendingChanges.has(client)) {
          await session.query(CHANGE_PENDING_SQL);
          withPendingChanges.add(client);
        }
        await session.query("BEGIN");
        const result = await work(new PgStore(session, this.counter, this.searchStats));
        // The changes it wrote, into the feed, and the commit: one round trip (pg-change-log.ts).
        this.counter.count++;
        const [flushed] = (await translateErrors(() =>
          client.query(`${CHANGE_FLUSH_SQL}; COMMIT`),
        )) as unknown as pg.QueryResult[];
        if ((flushed?.rowCount ?? 0) > 0) this.committedToFeed?.();
        return result;
      } catch (error) {
        if (error instanceof ServiceUnavailableError) broken = error;
        else await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        if (attempt < MAX_TRANSACTION_ATTEMPTS && isRetryableConflict(error)) continue;
        throw error;
      } finally {
        // A client whose connection failed, or which may yet receive a timed-out statement's
        // answer, is dropped, not handed to the next caller.
        client.release(broken);
      }
    }
  }
}
