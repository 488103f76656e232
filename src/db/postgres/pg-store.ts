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
  EntityStores,
  Store,
  TransitionStore,
  WorkflowStore,
} from "../store.js";
import { PgCaseTotalsRepository } from "./pg-case-totals-repository.js";
import { PgCaseUpdateRepository } from "./pg-case-update-repository.js";
import { PgEntityRepository } from "./pg-entity-repository.js";
import { isRetryableConflict } from "./pg-errors.js";
import { type PgSession, pgSession, type StatementCounter, translateErrors } from "./pg-session.js";
import { PgTransitionRepository } from "./pg-transition-repository.js";
import { PgWorkflowRepository } from "./pg-workflow-repository.js";

const MAX_TRANSACTION_ATTEMPTS = 5;

export class PgStore implements Store {
  readonly entities: EntityStores;
  readonly transitions: TransitionStore;
  readonly caseUpdates: CaseUpdateStore;
  readonly workflow: WorkflowStore;
  readonly caseTotals: CaseTotalsStore;

  /** `pool` is left out for a transaction's store, whose `transaction` joins. */
  constructor(
    session: PgSession,
    private readonly counter: StatementCounter,
    private readonly pool?: pg.Pool,
  ) {
    this.entities = {
      Mission: new PgEntityRepository(session, ENTITY_TABLES.Mission),
      Job: new PgEntityRepository(session, ENTITY_TABLES.Job),
      Case: new PgEntityRepository(session, ENTITY_TABLES.Case),
    };
    this.transitions = new PgTransitionRepository(session);
    this.caseUpdates = new PgCaseUpdateRepository(session);
    this.workflow = new PgWorkflowRepository(session);
    this.caseTotals = new PgCaseTotalsRepository(session);
  }

  async transaction<R>(work: (tx: Store) => Promise<R>): Promise<R> {
    if (!this.pool) return work(this);
    for (let attempt = 1; ; attempt++) {
      const client = await translateErrors(() => this.pool!.connect());
      let broken: Error | undefined;
      try {
        const session = pgSession(client, this.counter, true);
        await session.query("BEGIN");
        const result = await work(new PgStore(session, this.counter));
        await session.query("COMMIT");
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
