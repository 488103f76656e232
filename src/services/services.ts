// The use cases of casebook over one database, as the GraphQL layer and scripts call them.

import { decodeEntityCursor, decodeStepCursor, decodeTransitionCursor } from "../db/cursor.js";
import type { RecordView } from "../db/record-views.js";
import type { CaseTotals, CountedChildren, StatusCounts, Store } from "../db/store.js";
import type { EntityType, Page, TransitionRecord } from "../domain/entities.js";
import { RUNNING_STATUSES } from "../domain/lifecycle.js";
import { CaseService } from "./case-service.js";
import { ChangeFeedService } from "./change-feed.js";
import { sweepDeadlines } from "./deadline-sweeper.js";
import type { EntityService } from "./entity-service.js";
import { JobService } from "./job-service.js";
import { type Clock, LifecycleService } from "./lifecycle-service.js";
import { entityPageRequest, type ListArgs, listFilter, type PageArgs, pageRequest } from "./list-args.js";
import { MissionService } from "./mission-service.js";
import { UNPAGINATED_LIST_CAP } from "./validation.js";

/** A list kept per parent: children of one type, an entity's transitions, or a case's steps. */
export type PagedList = { of: "children" | "transitions"; entityType: EntityType } | { of: "steps" };

/** Arguments of an entity's transitions: a page, oldest first unless `newestFirst`. */
export interface TransitionListArgs extends PageArgs {
  newestFirst?: boolean;
}

export interface RunningCounts {
  missions: number;
  jobs: number;
  cases: number;
}

/** The service of each entity type: `byType[type]` has the type of that entity's service. */
type EntityServiceByType = { [T in EntityType]: EntityService<T> };

export function createServices(store: Store, clock: Clock = () => new Date()) {
  const lifecycle = new LifecycleService(clock);
  const missions = new MissionService(store, "Mission", lifecycle, clock);
  const jobs = new JobService(store, "Job", lifecycle, clock);
  const cases = new CaseService(store, "Case", lifecycle, clock);
  const byType: EntityServiceByType = { Mission: missions, Job: jobs, Case: cases };
  const { entities } = store;

  return {
    missions,
    jobs,
    cases,
    /** For code written once for every entity type (GraphQL's shared resolvers and loaders). */
    byType,
    /** The change feed: pages, its end, retention. */
    changes: new ChangeFeedService(store),

    /**
     * Jobs of each mission, or cases of each job: one page per parent, batched, as read-only views
     * (db/record-views.ts) holding `columns` (all when absent).
     */
    async childrenPages<T extends "Job" | "Case">(
      child: T,
      parentIds: readonly string[],
      args: ListArgs,
      columns?: readonly string[],
    ): Promise<Map<string, Page<RecordView<T>>>> {
      return entities[child].listByParents(parentIds, listFilter(args), entityPageRequest(child, args), columns);
    },

    /** childrenPages with childrenCounts (by status with `byStatus`) read in one snapshot, so that they agree. */
    async childrenCountedPages<T extends "Job" | "Case">(
      child: T,
      parentIds: readonly string[],
      args: ListArgs,
      byStatus: boolean,
      columns?: readonly string[],
    ): Promise<Map<string, CountedChildren<T>>> {
      return entities[child].countedPagesByParents(
        parentIds,
        listFilter(args),
        entityPageRequest(child, args),
        byStatus,
        columns,
      );
    },

    async childrenCounts(child: "Job" | "Case", parentIds: readonly string[], args: ListArgs = {}) {
      return entities[child].countByParents(parentIds, listFilter(args));
    },

    /** Per parent, its children's counts by status under the list's filter. */
    async childrenStatusCounts(
      child: "Job" | "Case",
      parentIds: readonly string[],
      args: ListArgs,
    ): Promise<Map<string, StatusCounts>> {
      return entities[child].statusCountsByParents(parentIds, listFilter(args));
    },

    /** Per mission or job, its cases' summed cost (micro-units) and counts by status. */
    async caseTotals(parentType: "Mission" | "Job", ids: readonly string[]): Promise<Map<string, CaseTotals>> {
      return store.caseTotals.totalsByParents(parentType, ids);
    },

    /** The ids of each job's first cases, at most UNPAGINATED_LIST_CAP of them (Job.caseIds). */
    async caseIdsOfJobs(jobIds: readonly string[]): Promise<Map<string, string[]>> {
      return entities.Case.idsByParents(jobIds, UNPAGINATED_LIST_CAP);
    },

    /**
     * Checks a page's arguments as reading the page would, without reading it: for a connection
     * asked only for its count, whose arguments must be as valid as anyone else's.
     */
    checkPageArgs(list: PagedList, args: ListArgs & TransitionListArgs) {
      if (list.of === "steps") {
        const { first, after } = pageRequest(args);
        if (after !== undefined) decodeStepCursor(after);
        return first;
      }
      if (list.of === "transitions") {
        const page = pageRequest(args);
        for (const [field, cursor] of [
          ["after", page.after],
          ["before", page.before],
        ] as const) {
          if (cursor !== undefined) decodeTransitionCursor(cursor, list.entityType, field, args.newestFirst === true);
        }
        return page.first;
      }
      listFilter(args);
      const page = entityPageRequest(list.entityType, args);
      for (const [field, cursor] of [
        ["after", page.after],
        ["before", page.before],
      ] as const) {
        if (cursor !== undefined) decodeEntityCursor(cursor, list.entityType, field, page.order);
      }
      return page.first;
    },

    /** Each entity's transitions, oldest first (newest first with `newestFirst`). */
    async transitionPages(
      entityType: EntityType,
      ids: readonly string[],
      args: TransitionListArgs,
    ): Promise<Map<string, Page<TransitionRecord>>> {
      return store.transitions.listByEntities(entityType, ids, {
        ...pageRequest(args),
        newestFirst: args.newestFirst === true,
      });
    },

    async transitionCounts(entityType: EntityType, ids: readonly string[]): Promise<Map<string, number>> {
      return store.transitions.countByEntities(entityType, ids);
    },

    /** Fires TIMEOUT_OR_ERROR on every wait whose deadline has passed (deadline-sweeper.ts); resolves to how many. */
    sweepDeadlines(): Promise<number> {
      return sweepDeadlines(store, clock);
    },

    async runningCounts(): Promise<RunningCounts> {
      const running = { status: RUNNING_STATUSES };
      const [missions, jobs, cases] = await Promise.all([
        entities.Mission.count(running),
        entities.Job.count(running),
        entities.Case.count(running),
      ]);
      return { missions, jobs, cases };
    },
  };
}

export type Services = ReturnType<typeof createServices>;
