import type { EntityFilter } from "../db/store.js";
import type { JobRecord, JsonObject, JsonValue, Page } from "../domain/entities.js";
import { BadUserInputError } from "../domain/errors.js";
import { refuseIfClosedAncestor } from "../domain/finished-rules.js";
import { EntityService, type ListArgs } from "./entity-service.js";
import {
  lookupText,
  metadataEdit,
  optionalJson,
  optionalJsonObject,
  optionalText,
  requiredText,
  requiredTextEdit,
} from "./validation.js";

const AGENT_NAME_MAX = 200;

export interface CreateJobInput {
  id?: string | null;
  name: string;
  agentName: string;
  missionId?: string | null;
  metadata?: JsonObject | null;
  jobContext?: JsonObject | null;
  payload?: JsonValue | null;
  agentParameters?: JsonValue | null;
}

export interface UpdateJobInput {
  name?: string | null;
  agentName?: string | null;
  metadata?: JsonObject | null;
  jobContext?: JsonObject | null;
  payload?: JsonValue | null;
  result?: JsonValue | null;
  error?: string | null;
  agentParameters?: JsonValue | null;
}

export interface JobListArgs extends ListArgs {
  missionId?: string | null;
  agentName?: string | null;
  /** true: jobs without a mission; false: jobs with one. */
  withoutMission?: boolean | null;
}

export class JobService extends EntityService<"Job"> {
  async create(input: CreateJobInput): Promise<JobRecord> {
    const record: JobRecord = {
      ...this.newEntity(input, "job"),
      agentName: requiredText(input.agentName, "agentName", AGENT_NAME_MAX),
      missionId: lookupText(input.missionId, "missionId") ?? null,
      jobContext: optionalJsonObject(input.jobContext, "jobContext") ?? null,
      payload: optionalJson(input.payload, "payload") ?? null,
      result: null,
      error: null,
      agentParameters: optionalJson(input.agentParameters, "agentParameters") ?? null,
    };
    await this.store.transaction(async (tx) => {
      if (record.missionId !== null) {
        const ancestors = await tx.workflow.ancestors("Mission", record.missionId);
        if (ancestors.length === 0) {
          throw new BadUserInputError(`missionId "${record.missionId}" names no mission`, "missionId");
        }
        refuseIfClosedAncestor(ancestors, "it takes no new jobs");
      }
      await this.insertNew(tx, record);
    });
    return record;
  }

  async update(id: string, input: UpdateJobInput, expectedVersion?: number | null): Promise<JobRecord> {
    return this.applyEdit(
      id,
      {
        name: requiredTextEdit(input.name, "name"),
        agentName: requiredTextEdit(input.agentName, "agentName", AGENT_NAME_MAX),
        metadata: metadataEdit(input.metadata),
        jobContext: optionalJsonObject(input.jobContext, "jobContext"),
        payload: optionalJson(input.payload, "payload"),
        result: optionalJson(input.result, "result"),
        error: optionalText(input.error, "error"),
        agentParameters: optionalJson(input.agentParameters, "agentParameters"),
      },
      expectedVersion,
    );
  }

  async listJobs(args: JobListArgs): Promise<Page<JobRecord>> {
    return this.list(args, this.ownFilter(args));
  }

  async countJobs(args: JobListArgs): Promise<number> {
    return this.count(args, this.ownFilter(args));
  }

  override ownFilter(args: JobListArgs): EntityFilter {
    const filter: EntityFilter = {};
    const missionId = lookupText(args.missionId, "missionId");
    if (missionId !== undefined && missionId !== null) {
      if (args.withoutMission === true) {
        throw new BadUserInputError(`"withoutMission: true" and "missionId" exclude each other`, "withoutMission");
      }
      filter.parentId = missionId;
    }
    if (args.withoutMission !== undefined && args.withoutMission !== null) filter.withoutParent = args.withoutMission;
    const agentName = lookupText(args.agentName, "agentName");
    if (agentName !== undefined && agentName !== null) filter.agentName = agentName;
    return filter;
  }
}
