// casebook's package entry point, for Node programs that embed it: `import { openCasebook } from "casebook"`.

export type {
  EntityType,
  JobRecord as Job,
  JsonObject,
  JsonValue,
  MissionRecord as Mission,
  TransitionRecord as Transition,
} from "../domain/entities.js";
export {
  AlreadyExistsError,
  BadUserInputError,
  DomainError,
  type ErrorCode,
  InvalidTransitionError,
  NotFoundError,
  ServiceUnavailableError,
  VersionConflictError,
} from "../domain/errors.js";
export type { EntityEvent, EntityStatus, RecordedEvent } from "../domain/lifecycle.js";
export type { CaseEditInput, CaseListArgs, CaseStepInput, StartCaseInput } from "../services/case-service.js";
export type { EventOptions } from "../services/event-options.js";
export type { CreateJobInput, JobListArgs, UpdateJobInput } from "../services/job-service.js";
export type { CreateMissionInput, UpdateMissionInput } from "../services/mission-service.js";
export type { RunningCounts } from "../services/services.js";
export {
  type Case,
  type Casebook,
  type CaseStep,
  type CasesApi,
  type EntityApi,
  type JobsApi,
  type ListArgs,
  type MissionsApi,
  type OpenCasebookOptions,
  openCasebook,
  type Page,
  type PageArgs,
} from "./casebook.js";
