// The use cases of casebook over one database, as the GraphQL layer and scripts call them.

import type { EntityRepository, PageRequest } from "../db/entity-repository.js";
import { createRepositories } from "../db/repositories.js";
import type { SqlDatabase } from "../db/sql-database.js";
import type { EntityRecordByType, Page, TransitionRecord } from "../domain/entities.js";
import type { EntityType } from "../domain/errors.js";
import { RUNNING_STATUSES } from "../domain/lifecycle.js";
import { CaseService } from "./case-service.js";
import { JobService } from "./job-service.js";
import { type Clock, LifecycleService } from "./lifecycle-service.js";
import { MissionService } from "./mission-service.js";
import { pageSize, statusList } from "./validation.js";

export interface RunningCounts {
  missions: number;
  jobs: number;
  cases: number;
}

export function createServices(db: SqlDatabase, clock: Clock = () => new Date()) {
  const repos = createRepositories(db);
  const lifecycle = new LifecycleService(repos, clock);
  const missions = new MissionService(repos, repos.missions, lifecycle, clock);
  const jobs = new JobService(repos, repos.jobs, lifecycle, clock);
  const cases = new CaseService(repos, repos.cases, lifecycle, clock);

  return {
    missions,
    jobs,
    cases,

    /** Jobs of each mission, or cases of each job: one page per parent, batched, as read-only views (db/record-views.ts). */
    async childrenPages<T extends "Job" | "Case">(
      child: T,
      parentIds: readonly string[],
      args: { first?: number | null; after?: string | null; status?: readonly string[] | null },
    ): Promise<Map<string, Page<EntityRecordByType[T]>>> {
      // The union of the two repositories narrows to one per call; TypeScript cannot follow that.
      const repo = (child === "Job" ? repos.jobs : repos.cases) as unknown as EntityRepository<T>;
      const request: PageRequest = { first: pageSize(args.first), after: args.after ?? undefined };
      return repo.listByParents(parentIds, { status: statusList(args.status) }, request, "views");
    },

    async childrenCounts(child: "Job" | "Case", parentIds: readonly string[], status?: readonly string[] | null) {
      const repo = child === "Job" ? repos.jobs : repos.cases;
      return repo.countByParents(parentIds, { status: statusList(status) });
    },

    async caseIdsOfJobs(jobIds: readonly string[]): Promise<Map<string, string[]>> {
      return repos.cases.idsByParents(jobIds);
    },

    /** Each entity's transitions, oldest first. */
    async transitionPages(
      entityType: EntityType,
      ids: readonly string[],
      args: { first?: number | null; after?: string | null },
    ): Promise<Map<string, Page<TransitionRecord>>> {
      return repos.transitions.listByEntities(entityType, ids, {
        first: pageSize(args.first),
        after: args.after ?? undefined,
      });
    },

    async transitionCounts(entityType: EntityType, ids: readonly string[]): Promise<Map<string, number>> {
      return repos.transitions.countByEntities(entityType, ids);
    },

    async runningCounts(): Promise<RunningCounts> {
      return {
        missions: repos.missions.count({ status: RUNNING_STATUSES }),
        jobs: repos.jobs.count({ status: RUNNING_STATUSES }),
        cases: repos.cases.count({ status: RUNNING_STATUSES }),
      };
    },
  };
}

export type Services = ReturnType<typeof createServices>;
