import { Field, ID, ObjectType } from "type-graphql";
import type { JsonObject, JsonValue } from "../../domain/entities.js";
import { connectionType } from "./connection.js";
import { PLAIN_FIELDS } from "./plain-fields.js";
import { JSONObjectScalar, JSONScalar } from "./scalars.js";
import { WorkflowEntity } from "./workflow-entity.js";

@ObjectType({ ...PLAIN_FIELDS, implements: WorkflowEntity, description: "Work given to one agent; holds cases." })
export class Job extends WorkflowEntity {
  @Field(() => String)
  agentName!: string;

  @Field(() => ID, { nullable: true })
  missionId!: string | null;

  @Field(() => JSONObjectScalar, { nullable: true })
  jobContext!: JsonObject | null;

  @Field(() => JSONScalar, { nullable: true })
  payload!: JsonValue | null;

  @Field(() => JSONScalar, { nullable: true })
  result!: JsonValue | null;

  @Field(() => String, {
    nullable: true,
    description:
      "What went wrong: set by updateJob, or by ERROR_ENCOUNTERED or TIMEOUT_OR_ERROR given a reason (for a deadline, which one passed).",
  })
  error!: string | null;

  @Field(() => JSONScalar, { nullable: true })
  agentParameters!: JsonValue | null;
}

export const JobConnection = connectionType("Job", Job, true);
