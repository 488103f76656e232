// The Store on SQLite. One writer connection per process, behind an async lock, so that a
// transaction stays isolated while the code inside it awaits: nothing else runs on that
// connection until it commits. Reads outside transactions use a connection of their own, which
// in WAL mode sees only committed data and never waits for the writer. An in-memory database
// has no second connection (it would be another database), so there reads wait for the lock.
import type { CaseUpdateRecord, EntityRecordByType, EntityType } from "../../domain/entities.js";
import { ENTITY_TABLES } from "../entity-tables.js";
import type {
  CaseTotalsStore,
  CaseUpdateStore,
  ChangeStore,
  EditNote,
  EntityFilter,
  EntityPageRequest,
  EntityStore,
  EntityStores,
  NewTransition,
  Store,
  TransitionStore,
  TransitionWrite,
  WorkflowStore,
} from "../store.js";
import { AsyncLock } from "./async-lock.js";
import { CaseTotalsRepository } from "./case-totals-repository.js";
import { CaseUpdateRepository } from "./case-update-repository.js";
import { ChangeRepository } from "./change-log.js";
import { EntityRepository } from "./entity-repository.js";
import type { SqlDatabase } from "./sql-database.js";
import { TransitionRepository } from "./transition-repository.js";
import { WorkflowRepository } from "./workflow-repository.js";

/** Every repository on one connection; as a transaction's store, `transaction` joins. */
class ConnectionStore implements Store {
  readonly entities: EntityStores;
  readonly transitions: TransitionRepository;
  readonly caseUpdates: CaseUpdateRepository;
  readonly workflow: WorkflowRepository;
  readonly caseTotals: CaseTotalsRepository;
  readonly changes: ChangeRepository;

  constructor(db: SqlDatabase) {
    this.entities = {
      Mission: new EntityRepository(db, ENTITY_TABLES.Mission),
      Job: new EntityRepository(db, ENTITY_TABLES.Job),
      Case: new EntityRepository(db, ENTITY_TABLES.Case),
    };
    this.transitions = new TransitionRepository(db);
    this.caseUpdates = new CaseUpdateRepository(db);
    this.workflow = new WorkflowRepository(db);
    this.caseTotals = new CaseTotalsRepository(db);
    this.changes = new ChangeRepository(db);
  }

  transaction<R>(work: (tx: Store) => Promise<R>): Promise<R> {
    return work(this);
  }
}

export class SqliteStore implements Store {
  readonly entities: EntityStores;
  readonly transitions: TransitionStore;
  readonly caseUpdates: CaseUpdateStore;
  readonly workflow: WorkflowStore;
  readonly caseTotals: CaseTotalsStore;
  readonly changes: ChangeStore;
  private readonly lock = new AsyncLock();
  private readonly commitListeners = new Set<() => void>();
  private readonly inTransaction: ConnectionStore;
  private readonly outside: ConnectionStore;

  /** `reader` is left out for an in-memory database. */
  constructor(
    private readonly writer: SqlDatabase,
    private readonly reader?: SqlDatabase,
  ) {
    this.inTransaction = new ConnectionStore(writer);
    this.outside = reader ? new ConnectionStore(reader) : this.inTransaction;
    this.entities = {
      Mission: new RootEntityStore(this, "Mission"),
      Job: new RootEntityStore(this, "Job"),
      Case: new RootEntityStore(this, "Case"),
    };
    this.transitions = {
      listByEntities: (...args) => this.read((s) => s.transitions.listByEntities(...args)),
      countByEntities: (...args) => this.read((s) => s.transitions.countByEntities(...args)),
    };
    this.caseUpdates = {
      append: (update: Omit<CaseUpdateRecord, "index">) => this.transaction((tx) => tx.caseUpdates.append(update)),
      listByCases: (...args) => this.read((s) => s.caseUpdates.listByCases(...args)),
      countByCases: (...args) => this.read((s) => s.caseUpdates.countByCases(...args)),
    };
    this.caseTotals = {
      totalsByParents: (...args) => this.read((s) => s.caseTotals.totalsByParents(...args)),
    };
    this.workflow = {
      ancestors: (...args) => this.read((s) => s.workflow.ancestors(...args)),
      hasRunningDescendants: (...args) => this.read((s) => s.workflow.hasRunningDescendants(...args)),
      cancelRunningDescendants: (...args) => this.transaction((tx) => tx.workflow.cancelRunningDescendants(...args)),
      // Looked for on the read connection first: a sweep that finds nothing due takes no write lock.
      expireDeadlines: async (entityType, now, limit) =>
        (await this.read(() => this.outside.workflow.anyDue(entityType, now)))
          ? this.transaction((tx) => tx.workflow.expireDeadlines(entityType, now, limit))
          : 0,
    };
    this.changes = {
      list: (...args) => this.read((s) => s.changes.list(...args)),
      bounds: () => this.read((s) => s.changes.bounds()),
      prune: (before) => this.transaction((tx) => tx.changes.prune(before)),
    };
  }

  transaction<R>(work: (tx: Store) => Promise<R>): Promise<R> {
    return this.lock.run(async () => {
      this.writer.begin();
      try {
        const result = await work(this.inTransaction);
        this.writer.commit();
        for (const listener of this.commitListeners) listener();
        return result;
      } catch (error) {
        this.writer.rollback();
        throw error;
      }
    });
  }

  /** Calls `listener` after each commit of this process (the change feed's readers wake on it); returns the unsubscribe. */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** A read outside any transaction: on the reader connection, or after the open transaction. */
  read<R>(work: (store: Store) => Promise<R>): Promise<R> {
    if (this.reader || !this.lock.isHeld) return work(this.outside);
    return this.lock.run(() => work(this.outside));
  }

  /** Waits for the transaction in progress, if any, then runs `work` with the writer to itself. */
  exclusive<R>(work: () => R): Promise<R> {
    return this.lock.run(work);
  }
}

/** One entity type at the root: reads go to the read connection, writes run as a transaction each. */
class RootEntityStore<T extends EntityType> implements EntityStore<T> {
  constructor(
    private readonly root: SqliteStore,
    readonly entityType: T,
  ) {}

  private of(store: Store): EntityStore<T> {
    return store.entities[this.entityType];
  }

  insert(record: EntityRecordByType[T], actor?: string | null) {
    return this.root.transaction((tx) => this.of(tx).insert(record, actor));
  }
  exists(id: string) {
    return this.root.read((s) => this.of(s).exists(id));
  }
  findById(id: string) {
    return this.root.read((s) => this.of(s).findById(id));
  }
  findByIds(ids: readonly string[]) {
    return this.root.read((s) => this.of(s).findByIds(ids));
  }
  transitionContext(id: string, idempotencyKey: string | null) {
    return this.root.read((s) => this.of(s).transitionContext(id, idempotencyKey));
  }
  list(filter: EntityFilter, page: EntityPageRequest) {
    return this.root.read((s) => this.of(s).list(filter, page));
  }
  listCounted(filter: EntityFilter, page: EntityPageRequest, want: { withPage: boolean; withCounts: boolean }) {
    return this.root.read((s) => this.of(s).listCounted(filter, page, want));
  }
  count(filter: EntityFilter) {
    return this.root.read((s) => this.of(s).count(filter));
  }
  listByParents(
    parentIds: readonly string[],
    filter: EntityFilter,
    page: EntityPageRequest,
    columns?: readonly string[],
  ) {
    return this.root.read((s) => this.of(s).listByParents(parentIds, filter, page, columns));
  }
  countByParents(parentIds: readonly string[], filter: EntityFilter) {
    return this.root.read((s) => this.of(s).countByParents(parentIds, filter));
  }
  statusCountsByParents(parentIds: readonly string[], filter: EntityFilter) {
    return this.root.read((s) => this.of(s).statusCountsByParents(parentIds, filter));
  }
  countedPagesByParents(
    parentIds: readonly string[],
    filter: EntityFilter,
    page: EntityPageRequest,
    byStatus: boolean,
    columns?: readonly string[],
  ) {
    return this.root.read((s) => this.of(s).countedPagesByParents(parentIds, filter, page, byStatus, columns));
  }
  idsByParents(parentIds: readonly string[], limit: number) {
    return this.root.read((s) => this.of(s).idsByParents(parentIds, limit));
  }
  update(id: string, fields: Partial<EntityRecordByType[T]>, at: Date, expectedVersion?: number, note?: EditNote) {
    return this.root.transaction((tx) => this.of(tx).update(id, fields, at, expectedVersion, note));
  }
  applyTransition(write: TransitionWrite, audit: NewTransition) {
    return this.root.transaction((tx) => this.of(tx).applyTransition(write, audit));
  }
  delete(id: string, at: Date) {
    return this.root.transaction((tx) => this.of(tx).delete(id, at));
  }
}
