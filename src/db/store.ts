// The data interface the services see, the same for every engine. Each engine (SQLite in
// src/db/sqlite, PostgreSQL in src/db/postgres) implements it with its own SQL; nothing above
// src/db knows which one runs.
//
// Every method is async: PostgreSQL answers over the network. A Store is either the root store
// (each call on its own, committed when it resolves) or the store a transaction hands its work
// (every call inside that one transaction, which nothing else in the process can see or join).
import type { ChangeFilter, ChangeRecord } from "../domain/changes.js";
import type { CaseUpdateRecord, EntityRecordByType, EntityType, Page, TransitionRecord } from "../domain/entities.js";
import type { Ancestor } from "../domain/finished-rules.js";
import type { EntityEvent, EntityStatus } from "../domain/lifecycle.js";
import type { ListOrder } from "./list-order.js";
import type { RecordView } from "./record-views.js";

/** Times from `from` (inclusive) to `to` (exclusive); either end may be open. */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

export interface EntityFilter {
  /** Only these statuses; an empty list matches nothing. */
  status?: readonly EntityStatus[];
  /** Parent id (missionId for jobs, jobId for cases). */
  parentId?: string;
  /** true: jobs that belong to no mission; false: jobs that belong to one. */
  withoutParent?: boolean;
  /** Cases of the jobs of this mission. */
  missionId?: string;
  agentName?: string;
  /** Only these ids (at most MAX_IDS, checked by the services). */
  ids?: readonly string[];
  /** Case-insensitive substring of the name, or of the description where there is one. */
  search?: string;
  createdAt?: TimeRange;
  updatedAt?: TimeRange;
  finishedAt?: TimeRange;
}

export interface PageRequest {
  /** Page size: `first`, or `last` when reading backward. */
  first: number;
  after?: string;
  before?: string;
  /** Read the last `first` items (before `before`, if given) instead of the first ones. */
  backward?: boolean;
}

/** A page of an entity list, in an order (the default one when left out). */
export interface EntityPageRequest extends PageRequest {
  order?: ListOrder;
}

/** How many entities a filter matches, per status (only statuses with some). */
export type StatusCounts = ReadonlyMap<EntityStatus, number>;

/** A page and, when asked for, the status counts of its filter, read in one snapshot. */
export interface CountedPage<T> {
  page: Page<T>;
  statusCounts?: StatusCounts;
}

/** A parent's page of children and how many its filter matches (by status when asked), read in one snapshot. */
export interface CountedChildren<T extends EntityType> {
  page: Page<RecordView<T>>;
  totalCount: number;
  statusCounts?: StatusCounts;
}

/** A row that is about to change: reads inside a transaction with `lock` keep others off it until commit. */
export interface ReadOptions {
  lock?: boolean;
}

export type NewTransition = Omit<TransitionRecord, "id"> & {
  /** JSON of the entity as the transition left it; stored only with an idempotency key. */
  resultSnapshot?: string | null;
};

/** A status change, applied only if the row is still at `fromStatus` and `fromVersion`. */
export interface TransitionWrite {
  id: string;
  fromStatus: EntityStatus;
  fromVersion: number;
  toStatus: EntityStatus;
  at: Date;
  finishes: boolean;
  /** The deadline of the wait the transition enters (AWAITING_ON_INPUT with one); null clears it. */
  awaitingUntil: Date | null;
  /** Job and Case: written to their `error` column (a failing event given a reason). */
  error?: string;
  /**
   * START_WORK of a job or a case: applies only while no parent (the job's mission; the case's
   * job and its mission) is CANCELLING or terminal, read under a shared lock on PostgreSQL so that
   * a concurrent cancel of the parent waits for it or it sees the cancel.
   */
  guardAncestors?: boolean;
}

/** What a lifecycle event needs to decide: the entity, and what its idempotency key already did. */
export interface TransitionContext<T extends EntityType> {
  entity: EntityRecordByType[T];
  earlier?: { event: EntityEvent; toStatus: EntityStatus; resultSnapshot: string | null };
}

export interface EntityStore<T extends EntityType> {
  readonly entityType: T;
  /**
   * Inserts a new record and its CREATED change; ALREADY_EXISTS when the id is taken,
   * BAD_USER_INPUT when its parent is gone.
   */
  insert(record: EntityRecordByType[T], actor?: string | null): Promise<void>;
  exists(id: string): Promise<boolean>;
  findById(id: string, options?: ReadOptions): Promise<EntityRecordByType[T] | undefined>;
  /**
   * Entities by id for reads that answer GraphQL, as read-only views (record-views.ts) read field
   * by field; an engine may return plain records, which read the same.
   */
  findByIds(ids: readonly string[]): Promise<Map<string, RecordView<T>>>;
  /** The entity and, with a key, the transition that key already produced on it: one read. */
  transitionContext(id: string, idempotencyKey: string | null): Promise<TransitionContext<T> | undefined>;
  list(filter: EntityFilter, page: EntityPageRequest): Promise<Page<EntityRecordByType[T]>>;
  count(filter: EntityFilter): Promise<number>;
  /**
   * A page (when `withPage`) and the filter's status counts (when `withCounts`), both read in
   * one snapshot: the counts are those of the rows a walk of the pages would see at that moment.
   */
  listCounted(
    filter: EntityFilter,
    page: EntityPageRequest,
    want: { withPage: boolean; withCounts: boolean },
  ): Promise<CountedPage<EntityRecordByType[T]>>;
  /**
   * One page of children per parent, batched, as read-only views (record-views.ts) like findByIds.
   * With `columns` (names of the table's columns, id, createdAt and the parent among them), the
   * views hold only those; reading another field of them is a mistake the caller must not make.
   */
  listByParents(
    parentIds: readonly string[],
    filter: EntityFilter,
    page: EntityPageRequest,
    columns?: readonly string[],
  ): Promise<Map<string, Page<RecordView<T>>>>;
  countByParents(parentIds: readonly string[], filter: EntityFilter): Promise<Map<string, number>>;
  /** Per parent, how many children the filter matches in each status. */
  statusCountsByParents(parentIds: readonly string[], filter: EntityFilter): Promise<Map<string, StatusCounts>>;
  /**
   * listByParents with countByParents (or statusCountsByParents, `byStatus`) read in one snapshot:
   * each parent's page and how many children its filter matches, as a walk of its pages would see.
   */
  countedPagesByParents(
    parentIds: readonly string[],
    filter: EntityFilter,
    page: EntityPageRequest,
    byStatus: boolean,
    columns?: readonly string[],
  ): Promise<Map<string, CountedChildren<T>>>;
  /** Ids of the first `limit` children of each parent, in list order. */
  idsByParents(parentIds: readonly string[], limit: number): Promise<Map<string, string[]>>;
  /**
   * Writes non-status fields, bumps the version and appends the change (`note`, UPDATED by
   * default). With `expectedVersion`, writes only if the row is still at that version. Returns
   * whether a row changed.
   */
  update(
    id: string,
    fields: Partial<EntityRecordByType[T]>,
    at: Date,
    expectedVersion?: number,
    note?: EditNote,
  ): Promise<boolean>;
  /**
   * Moves the row to its new status and appends the audit row and the TRANSITIONED change, atomically, only if the row is
   * still where the caller saw it. False (and nothing written) when it has moved on. A taken
   * idempotency key throws IdempotencyKeyTakenError, with nothing written.
   */
  applyTransition(write: TransitionWrite, audit: NewTransition): Promise<boolean>;
  /** Deletes the row (its descendants go with it) and appends a DELETED change for each. */
  delete(id: string, at: Date): Promise<boolean>;
}

/** How an edit of an entity is recorded in the change feed. */
export interface EditNote {
  kind: "UPDATED" | "STEP_ADDED";
  actor: string | null;
}

/** The ends of the change feed: the last position written, and the last one pruning removed. */
export interface ChangeBounds {
  latest: number;
  prunedThrough: number;
}

/** Where a read of the change feed stops, and which end it starts from. */
export interface ChangeRange {
  before?: number;
  newestFirst?: boolean;
}

/**
 * The change feed (domain/changes.ts). A change is read only once every lower position has
 * committed or rolled back (SQLite draws positions in commit order; PostgreSQL reads stop at the
 * settled horizon), so a reader that resumes after the last position it saw misses nothing.
 */
export interface ChangeStore {
  /**
   * Committed changes after position `after` (and before `range.before`, when given) that match
   * `filter`, at most `limit`: oldest first, or the newest of them first with `range.newestFirst`.
   */
  list(after: number, limit: number, filter?: ChangeFilter, range?: ChangeRange): Promise<ChangeRecord[]>;
  bounds(): Promise<ChangeBounds>;
  /** Removes the changes older than `before` (the log's oldest, as a prefix); resolves to how many. */
  prune(before: Date): Promise<number>;
}

export interface TransitionStore {
  /** A page of each entity's transitions, oldest first (newest first with `newestFirst`). */
  listByEntities(
    entityType: EntityType,
    entityIds: readonly string[],
    page: PageRequest & { newestFirst?: boolean },
  ): Promise<Map<string, Page<TransitionRecord>>>;
  countByEntities(entityType: EntityType, entityIds: readonly string[]): Promise<Map<string, number>>;
}

export interface CaseUpdateStore {
  /** Appends a step at the next index of its case and returns it. */
  append(update: Omit<CaseUpdateRecord, "index">): Promise<CaseUpdateRecord>;
  /** One page of steps per case, in index order, batched. */
  listByCases(caseIds: readonly string[], page: PageRequest): Promise<Map<string, Page<CaseUpdateRecord>>>;
  countByCases(caseIds: readonly string[]): Promise<Map<string, number>>;
}

/** The audit of a cancel that cascades: each descendant's transition row carries these. */
export interface CascadeAudit {
  at: Date;
  actor: string;
  reason: string;
}

/** The cases under one mission or job: their summed cost and their counts by status. */
export interface CaseTotals {
  /** Sum of the cases' totalCostMicros (0 without cases). */
  costMicros: number;
  statusCounts: StatusCounts;
}

/** Sums and counts over the cases under missions or jobs, one statement for any number of them. */
export interface CaseTotalsStore {
  /**
   * Per mission or job, its cases' cost and counts by status, from one grouped statement: a
   * dashboard asking for both reads the cases once.
   */
  totalsByParents(parentType: "Mission" | "Job", parentIds: readonly string[]): Promise<Map<string, CaseTotals>>;
}

/** Statements over a parent and its descendants, set-based: one or two statements per level. */
export interface WorkflowStore {
  /**
   * The parent `parentId` of type `parentType` and, for a job, its mission: nearest first, empty
   * when there is no such parent. In a transaction on PostgreSQL they are locked (FOR SHARE) until
   * it ends, so their status cannot change under a child being created or started.
   */
  ancestors(parentType: "Mission" | "Job", parentId: string): Promise<Ancestor[]>;
  /**
   * Moves every IN_PROGRESS or AWAITING descendant of the mission or job to CANCELLING
   * (CANCEL_REQUESTED or CANCEL_WHILE_WAITING), each with its own transition row, version + 1,
   * deadline cleared. Called in the transaction that moved the parent; returns how many moved.
   */
  cancelRunningDescendants(parentType: "Mission" | "Job", parentId: string, audit: CascadeAudit): Promise<number>;
  /** Whether a job or case under the mission or job is running (IN_PROGRESS, CANCELLING, AWAITING). */
  hasRunningDescendants(parentType: "Mission" | "Job", parentId: string): Promise<boolean>;
  /**
   * Fires TIMEOUT_OR_ERROR on at most `limit` entities of `entityType` that are AWAITING with a
   * deadline at or before `now`, each with its transition row (reason: deadlineReason), once
   * however many processes sweep at the same time. Returns how many it moved.
   */
  expireDeadlines(entityType: EntityType, now: Date, limit: number): Promise<number>;
}

/** The store of each entity type: `entities[type]` has the type of that entity's store. */
export type EntityStores = { [T in EntityType]: EntityStore<T> };

export interface Store {
  readonly entities: EntityStores;
  readonly transitions: TransitionStore;
  readonly caseUpdates: CaseUpdateStore;
  readonly workflow: WorkflowStore;
  readonly caseTotals: CaseTotalsStore;
  readonly changes: ChangeStore;
  /**
   * Runs `work` in one transaction: everything it writes is committed together, or, if it
   * throws, none of it. Inside a transaction, `transaction` joins it.
   */
  transaction<R>(work: (tx: Store) => Promise<R>): Promise<R>;
}

/** Thrown by applyTransition when the idempotency key was used on this entity meanwhile. */
export class IdempotencyKeyTakenError extends Error {
  constructor() {
    super("idempotency key already used");
    this.name = "IdempotencyKeyTakenError";
  }
}
