// The use cases of casebook over one database, as the GraphQL layer and scripts call them.

import { decodeEntityCursor, decodeStepCursor, decodeTransitionCursor } from "../db/cursor.js";
import type { RecordView } from "../db/record-views.js";
import type { PageRequest, Store } from "../db/store.js";
import type { EntityType, Page, TransitionRecord } from "../domain/entities.js";
import { RUNNING_STATUSES } from "../domain/lifecycle.js";
import { CaseService } from "./case-service.js";
import { ChangeFeedService } from "./change-feed.js";
import { sweepDeadlines } from "./deadline-sweeper.js";
import type { EntityService } from "./entity-service.js";
import { JobService } from "./job-service.js";
import { type Clock, LifecycleService } from "./lifecycle-service.js";
import { MissionService } from "./mission-service.js";
import { pageSize, statusList, UNPAGINATED_LIST_CAP } from "./validation.js";

/** A list kept per parent: children of one type, an entity's transitions, or a case's steps. */
export type PagedList = { of: "children" | "transitions"; entityType: EntityType } | { of: "steps" };

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
      args: { first?: number | null; after?: string | null; status?: readonly string[] | null },
      columns?: readonly string[],
    ): Promise<Map<string, Page<RecordView<T>>>> {
      const request: PageRequest = { first: pageSize(args.first), after: args.after ?? undefined };
      return entities[child].listByParents(parentIds, { status: statusList(args.status) }, request, columns);
    },

    async childrenCounts(child: "Job" | "Case", parentIds: readonly string[], status?: readonly string[] | null) {
      return entities[child].countByParents(parentIds, { status: statusList(status) });
    },

    /** The ids of each job's first cases, at most UNPAGINATED_LIST_CAP of them (Job.caseIds). */
    async caseIdsOfJobs(jobIds: readonly string[]): Promise<Map<string, string[]>> {
      return entities.Case.idsByParents(jobIds, UNPAGINATED_LIST_CAP);
    },

    /**
     * Checks a page's arguments as reading the page would, without reading it: for a connection
     * asked only for its count, whose arguments must be as valid as anyone else's.
     */
    checkPageArgs(
      list: PagedList,
      args: { first?: number | null; after?: string | null; status?: readonly string[] | null },
    ) {
      pageSize(args.first);
      statusList(args.status);
      if (args.after === undefined || args.after === null) return;
      if (list.of === "steps") decodeStepCursor(args.after);
      else if (list.of === "transitions") decodeTransitionCursor(args.after, list.entityType);
      else decodeEntityCursor(args.after, list.entityType);
    },

    /** Each entity's transitions, oldest first. */
    async transitionPages(
      entityType: EntityType,
      ids: readonly string[],
      args: { first?: number | null; after?: string | null },
    ): Promise<Map<string, Page<TransitionRecord>>> {
      return store.transitions.listByEntities(entityType, ids, {
        first: pageSize(args.first),
        after: args.after ?? undefined,
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
