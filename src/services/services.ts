// The use cases of casebook over one database, as the GraphQL layer and scripts call them.

import type { RecordView } from "../db/record-views.js";
import type { PageRequest, Store } from "../db/store.js";
import type { EntityType, Page, TransitionRecord } from "../domain/entities.js";
import { RUNNING_STATUSES } from "../domain/lifecycle.js";
import { CaseService } from "./case-service.js";
import { sweepDeadlines } from "./deadline-sweeper.js";
import type { EntityService } from "./entity-service.js";
import { JobService } from "./job-service.js";
import { type Clock, LifecycleService } from "./lifecycle-service.js";
import { MissionService } from "./mission-service.js";
import { pageSize, statusList } from "./validation.js";

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

    async caseIdsOfJobs(jobIds: readonly string[]): Promise<Map<string, string[]>> {
      return entities.Case.idsByParents(jobIds);
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
