// casebook in-process: the services the GraphQL API calls, over a database opened (and
// migrated) as the server opens it, for Node programs that embed casebook. Same rules, same
// errors, same transactions as GraphQL, because they are the same code; several processes can
// share one database as several servers do.
import type { Database } from "../db/database.js";
import { openDatabase } from "../db/open.js";
import { microsToCost } from "../domain/cost.js";
import type {
  CaseRecord,
  CaseUpdateRecord,
  EntityRecordByType,
  EntityType,
  JobRecord,
  MissionRecord,
  Page as ServicePage,
  TransitionRecord,
} from "../domain/entities.js";
import type { EntityEvent, EntityStatus } from "../domain/lifecycle.js";
import { loadConfig } from "../server/config.js";
import type { CaseEditInput, CaseListArgs, CaseStepInput, StartCaseInput } from "../services/case-service.js";
import type { EntityService } from "../services/entity-service.js";
import type { EventOptions } from "../services/event-options.js";
import type { CreateJobInput, JobListArgs, UpdateJobInput } from "../services/job-service.js";
import type { CreateMissionInput, UpdateMissionInput } from "../services/mission-service.js";
import { createServices, type RunningCounts } from "../services/services.js";

export interface OpenCasebookOptions {
  /**
   * Where the data is, as DATABASE_URL takes it: `postgresql://…`, or a SQLite file (`file:./x.db`,
   * a path, `:memory:`). Left out: DATABASE_URL from `env`, else the server's default file.
   */
  databaseUrl?: string;
  /** The other settings (DATABASE_POOL_SIZE, SQLITE_BUSY_TIMEOUT_MS, APP_ENV, …), as the server reads them. Default: process.env. */
  env?: Record<string, string | undefined>;
}

/** A case as the API returns it: costs in units, as GraphQL gives them (they are stored in micro-units). */
export type Case = Omit<CaseRecord, "totalCostMicros"> & { totalCost: number };

/** One step of a case, its cost in units. */
export type CaseStep = Omit<CaseUpdateRecord, "costMicros"> & { cost: number | null };

function publicCase({ totalCostMicros, ...rest }: CaseRecord): Case {
  return { ...rest, totalCost: microsToCost(totalCostMicros) };
}

function publicStep({ costMicros, ...rest }: CaseUpdateRecord): CaseStep {
  return { ...rest, cost: costMicros === null ? null : microsToCost(costMicros) };
}

/** One page of a list, in the order of (createdAt, id); pass `endCursor` as `after` for the next. */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface ListArgs extends PageArgs {
  status?: readonly EntityStatus[] | null;
}

/** What missions, jobs and cases all offer. */
export interface EntityApi<R> {
  /** The entity, or null when the id names nothing. */
  get(id: string): Promise<R | null>;
  /**
   * True when something was deleted, with its children and history; false when the id named
   * nothing. Running work (the entity, or a job or case under it) is ENTITY_RUNNING unless
   * `force` is true.
   */
  delete(id: string, options?: { force?: boolean }): Promise<boolean>;
  handleEvent(id: string, event: EntityEvent, options?: EventOptions): Promise<R>;
  /** Moves to `to` when exactly one event leads there from the current status. */
  transition(id: string, to: EntityStatus, options?: EventOptions): Promise<R>;
  /** The entity's transitions, oldest first. */
  transitions(id: string, page?: PageArgs): Promise<Page<TransitionRecord>>;
}

export interface MissionsApi extends EntityApi<MissionRecord> {
  create(input: CreateMissionInput): Promise<MissionRecord>;
  update(id: string, input: UpdateMissionInput, expectedVersion?: number): Promise<MissionRecord>;
  list(args?: ListArgs): Promise<Page<MissionRecord>>;
  /** Every mission matching `args`, page after page. */
  all(args?: Omit<ListArgs, keyof PageArgs>): AsyncIterable<MissionRecord>;
}

export interface JobsApi extends EntityApi<JobRecord> {
  create(input: CreateJobInput): Promise<JobRecord>;
  update(id: string, input: UpdateJobInput, expectedVersion?: number): Promise<JobRecord>;
  list(args?: JobListArgs): Promise<Page<JobRecord>>;
  all(args?: Omit<JobListArgs, keyof PageArgs>): AsyncIterable<JobRecord>;
}

export interface CasesApi extends EntityApi<Case> {
  /** Creates the case on an existing job and starts it, in one transaction: it begins IN_PROGRESS. */
  start(input: StartCaseInput): Promise<Case>;
  update(id: string, input: CaseEditInput, expectedVersion?: number): Promise<Case>;
  list(args?: CaseListArgs): Promise<Page<Case>>;
  all(args?: Omit<CaseListArgs, keyof PageArgs>): AsyncIterable<Case>;
  /** Appends a step: its cost adds to totalCost, a final step sets finalDelivery, a step with an error fails the case. */
  addStep(caseId: string, step: CaseStepInput): Promise<Case>;
  /** The case's steps in order, every one of them; empty when it has none or does not exist. */
  steps(caseId: string): Promise<CaseStep[]>;
}

export interface Casebook {
  readonly engine: Database["engine"];
  readonly missions: MissionsApi;
  readonly jobs: JobsApi;
  readonly cases: CasesApi;
  /** How many missions, jobs and cases are running (IN_PROGRESS, CANCELLING, AWAITING). */
  runningCounts(): Promise<RunningCounts>;
  /** Lets work in progress finish, then closes the database; safe to call twice. */
  close(): Promise<void>;
}

/** Opens the database (creating and migrating it if needed) and returns casebook's services on it. */
export async function openCasebook(options: OpenCasebookOptions = {}): Promise<Casebook> {
  const env = { ...(options.env ?? process.env) };
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  const config = loadConfig(env);
  const { db } = await openDatabase(config);
  const services = createServices(db.store);

  const common = <T extends EntityType, R = EntityRecordByType[T]>(
    service: EntityService<T>,
    toPublic: (record: EntityRecordByType[T]) => R = (record) => record as unknown as R,
  ): EntityApi<R> => ({
    get: async (id) => {
      const record = await service.get(id);
      return record === null ? null : toPublic(record);
    },
    delete: (id, deleteOptions) => service.delete(id, deleteOptions?.force),
    handleEvent: async (id, event, eventOptions) => toPublic(await service.handleEvent(id, event, eventOptions)),
    transition: async (id, to, eventOptions) => toPublic(await service.transition(id, to, eventOptions)),
    transitions: async (id, page = {}) =>
      pageOf((await services.transitionPages(service.entityType, [id], page)).get(id)),
  });

  return {
    engine: db.engine,
    missions: {
      ...common(services.missions),
      create: (input) => services.missions.create(input),
      update: (id, input, expectedVersion) => services.missions.update(id, input, expectedVersion),
      list: async (args = {}) => pageOf(await services.missions.list(args)),
      all: (args = {}) => everyItem((page) => services.missions.list({ ...args, ...page })),
    },
    jobs: {
      ...common(services.jobs),
      create: (input) => services.jobs.create(input),
      update: (id, input, expectedVersion) => services.jobs.update(id, input, expectedVersion),
      list: async (args = {}) => pageOf(await services.jobs.listJobs(args)),
      all: (args = {}) => everyItem((page) => services.jobs.listJobs({ ...args, ...page })),
    },
    cases: {
      ...common(services.cases, publicCase),
      start: async (input) => publicCase(await services.cases.start(input)),
      update: async (id, input, expectedVersion) => publicCase(await services.cases.update(id, input, expectedVersion)),
      list: async (args = {}) => {
        const page = pageOf(await services.cases.listCases(args));
        return { ...page, items: page.items.map(publicCase) };
      },
      all: (args = {}) =>
        mapItems(
          everyItem((page) => services.cases.listCases({ ...args, ...page })),
          publicCase,
        ),
      addStep: async (caseId, step) => publicCase(await services.cases.addUpdate(caseId, step)),
      steps: async (caseId) => {
        const steps: CaseStep[] = [];
        for await (const step of everyItem(
          async (page) => (await services.cases.stepPages([caseId], page)).get(caseId)!,
        ))
          steps.push(publicStep(step));
        return steps;
      },
    },
    runningCounts: () => services.runningCounts(),
    close: () => db.close(),
  };
}

function pageOf<T>(page: ServicePage<T> | undefined): Page<T> {
  if (!page) return { items: [], hasNextPage: false, endCursor: null };
  return { items: page.items, hasNextPage: page.hasNextPage, endCursor: page.cursors[page.cursors.length - 1] ?? null };
}

async function* mapItems<T, R>(items: AsyncIterable<T>, map: (item: T) => R): AsyncIterable<R> {
  for await (const item of items) yield map(item);
}

const ALL_PAGE_SIZE = 500;

async function* everyItem<T>(list: (page: PageArgs) => Promise<ServicePage<T>>): AsyncIterable<T> {
  let after: string | null = null;
  for (;;) {
    const page = await list({ first: ALL_PAGE_SIZE, after });
    yield* page.items;
    if (!page.hasNextPage || page.items.length === 0) return;
    after = page.cursors[page.cursors.length - 1] ?? null;
  }
}
