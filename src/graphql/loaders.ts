// Per-request batching: every relation a query walks goes through one of these, so a nested
// query runs a fixed number of SQL statements whatever the number of parents. Child pages are
// keyed by their arguments: all parents asking for the same page shape share one batch.
import DataLoader from "dataloader";
import type { FieldNode, GraphQLResolveInfo } from "graphql";
import type { RecordView } from "../db/record-views.js";
import type { CaseTotals, CountedChildren, StatusCounts } from "../db/store.js";
import type { CaseUpdateRecord, EntityRecordByType, EntityType, Page, TransitionRecord } from "../domain/entities.js";
import type { ListArgs } from "../services/list-args.js";
import type { Services, TransitionListArgs } from "../services/services.js";
import type { ColumnChoice } from "./selected-columns.js";
import { type ConnectionValue, toConnection } from "./types/connection-value.js";

export type ChildPageArgs = ListArgs;

const EMPTY_PAGE: Page<never> = { items: [], cursors: [], hasNextPage: false, hasPreviousPage: false };
const NO_COUNTS: StatusCounts = new Map();
const NO_TRANSITIONS: ConnectionValue<TransitionRecord> = toConnection(EMPTY_PAGE, () => 0);
const NO_TOTALS: CaseTotals = { costMicros: 0, statusCounts: NO_COUNTS };
const NO_COUNTED_CHILDREN: CountedChildren<"Job" | "Case"> = {
  page: EMPTY_PAGE,
  totalCount: 0,
  statusCounts: NO_COUNTS,
};

/** The arguments of a list as a loader key: parents asking with equal arguments share a batch. */
function listKey(args: ListArgs): string {
  return JSON.stringify([
    args.first,
    args.after,
    args.last,
    args.before,
    args.orderBy?.field,
    args.orderBy?.direction,
    filterKey(args),
  ]);
}

/** The filter arguments of a list alone: counts do not depend on the page. */
function filterKey(args: ListArgs): string {
  return JSON.stringify([
    args.status,
    args.ids,
    args.search,
    args.createdAt,
    args.updatedAt,
    args.finishedAt,
    args.running,
  ]);
}

export function createLoaders(services: Services) {
  const memo = new Map<string, DataLoader<string, unknown>>();
  const byField = new WeakMap<FieldNode, Map<string, unknown>>();
  function keyed<V>(
    key: string,
    batch: (ids: readonly string[]) => Promise<Map<string, V>>,
    fallback: V,
  ): DataLoader<string, V> {
    let loader = memo.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(async (ids) => {
        const found = await batch(ids);
        return ids.map((id) => found.get(id) ?? fallback);
      });
      memo.set(key, loader as DataLoader<string, unknown>);
    }
    return loader;
  }

  // Entities by id are views read for GraphQL, or records a mutation just wrote (prime): both
  // are read field by field, never spread.
  const byId = <T extends EntityType>(type: T) =>
    keyed<RecordView<T> | null>(`byId:${type}`, (ids) => services.byType[type].getMany(ids), null);

  /**
   * What pages loaded whole hold is known by id now: relations back to it need no query. A page of
   * some columns is not: a lookup by id must not find fields missing.
   */
  const primeWhole = <T extends "Job" | "Case">(
    child: T,
    read: ColumnChoice,
    pages: Iterable<Page<RecordView<T>>>,
  ): void => {
    if (read.columns !== undefined) return;
    const own = byId(child);
    for (const page of pages) for (const item of page.items) own.prime(item.id, item);
  };

  const loaders = {
    /**
     * The loader `make` returns, kept per field node of the document and `slot` for this request.
     * A field's arguments depend only on its node and the request's variables, so every parent
     * of a list reaching the same node asks for the same loader: its key (the arguments as JSON)
     * is built once per field, not once per parent (a thousand times in a dashboard's read).
     * `slot` tells apart the loaders one field uses (a page, its count) and, for a field of
     * several object types (transitions), the type. A field merged from several nodes is not
     * kept: its node may be read alone elsewhere in the document, selecting fewer columns.
     */
    forField<L>(info: GraphQLResolveInfo, slot: string, make: () => L): L {
      if (info.fieldNodes.length !== 1) return make();
      const node = info.fieldNodes[0]!;
      let slots = byField.get(node);
      if (slots === undefined) {
        slots = new Map();
        byField.set(node, slots);
      }
      let loader = slots.get(slot) as L | undefined;
      if (loader === undefined) {
        loader = make();
        slots.set(slot, loader);
      }
      return loader;
    },

    /** Entities of one type by id: root lookups and relations share it, so each id is read once. */
    entity: <T extends EntityType>(type: T) => byId(type),

    /** Jobs of missions, or cases of jobs: one page per parent, with the columns chosen. */
    childPages<T extends "Job" | "Case">(child: T, args: ChildPageArgs, read: ColumnChoice) {
      const key = `children:${child}:${listKey(args)}:${read.key}`;
      return keyed<Page<RecordView<T>>>(
        key,
        async (parentIds) => {
          const pages = await services.childrenPages(child, parentIds, args, read.columns);
          primeWhole(child, read, pages.values());
          return pages;
        },
        EMPTY_PAGE,
      );
    },

    /** Each parent's page and its count (by status with `byStatus`), read in one snapshot. */
    childCountedPages<T extends "Job" | "Case">(child: T, args: ChildPageArgs, read: ColumnChoice, byStatus: boolean) {
      return keyed<CountedChildren<T>>(
        `countedChildren:${child}:${listKey(args)}:${read.key}:${byStatus}`,
        async (parentIds) => {
          const counted = await services.childrenCountedPages(child, parentIds, args, byStatus, read.columns);
          primeWhole(
            child,
            read,
            Array.from(counted.values(), (c) => c.page),
          );
          return counted;
        },
        NO_COUNTED_CHILDREN as CountedChildren<T>,
      );
    },

    childCounts(child: "Job" | "Case", args: ListArgs) {
      return keyed<number>(`count:${child}:${filterKey(args)}`, (ids) => services.childrenCounts(child, ids, args), 0);
    },

    childStatusCounts(child: "Job" | "Case", args: ListArgs) {
      return keyed<StatusCounts>(
        `statusCounts:${child}:${filterKey(args)}`,
        (ids) => services.childrenStatusCounts(child, ids, args),
        NO_COUNTS,
      );
    },

    /**
     * The cases' summed cost and counts by status under each mission or job: totalCost and
     * caseStatusCounts share it, so asking for both reads the cases once.
     */
    caseTotals: (parentType: "Mission" | "Job") =>
      keyed<CaseTotals>(`caseTotals:${parentType}`, (ids) => services.caseTotals(parentType, ids), NO_TOTALS),

    caseIds: () => keyed<string[]>("caseIds", (ids) => services.caseIdsOfJobs(ids), []),

    caseUpdates: () => keyed<CaseUpdateRecord[]>("caseUpdates", (ids) => services.cases.updatesOf(ids), []),

    /** A page of each case's steps. */
    steps(args: { first?: number | null; after?: string | null }) {
      return keyed<Page<CaseUpdateRecord>>(
        `steps:${JSON.stringify([args.first, args.after])}`,
        (ids) => services.cases.stepPages(ids, args),
        EMPTY_PAGE,
      );
    },

    stepCounts: () => keyed<number>("stepCount", (ids) => services.cases.stepCounts(ids), 0),

    /**
     * Each entity's transitions as a connection, built in the batch from its page: a dashboard
     * reads them for every node, and a connection made per node after its page arrives kept a
     * closure, a promise and their context per node alive until the answer was written.
     */
    transitions(type: EntityType, args: TransitionListArgs) {
      return keyed<ConnectionValue<TransitionRecord>>(
        `transitions:${type}:${JSON.stringify([args.first, args.after, args.last, args.before, args.newestFirst])}`,
        async (ids) => {
          const pages = await services.transitionPages(type, ids, args);
          const counts = loaders.transitionCounts(type);
          return new Map(ids.map((id) => [id, toConnection(pages.get(id) ?? EMPTY_PAGE, () => counts.load(id))]));
        },
        NO_TRANSITIONS,
      );
    },

    transitionCounts: (type: EntityType) =>
      keyed<number>(`transitionCount:${type}`, (ids) => services.transitionCounts(type, ids), 0),

    /** Forget everything loaded: called after each mutation so later fields see its effect. */
    clearAll() {
      for (const loader of memo.values()) loader.clearAll();
    },

    /** Makes a record just written known by id, so fields on a mutation's result need no reload. */
    prime<T extends EntityType>(type: T, record: EntityRecordByType[T]) {
      byId(type).clear(record.id).prime(record.id, record);
    },
  };
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;
