// Arguments of the jobs list and inputs of the job mutations; the services check the values.
import { ArgsType, Field, ID, InputType } from "type-graphql";
import type { JsonObject, JsonValue } from "../../domain/entities.js";
import { EntityListArgs } from "./list-inputs.js";
import { JSONObjectScalar, JSONScalar } from "./scalars.js";
import { NAME_RULE } from "./shared-inputs.js";

@ArgsType()
export class JobsArgs extends EntityListArgs {
  @Field(() => ID, { nullable: true })
  missionId?: string | null;

  @Field(() => String, { nullable: true })
  agentName?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "true: only jobs in no mission; false: only jobs in one. true with missionId is BAD_USER_INPUT.",
  })
  withoutMission?: boolean | null;
}

@InputType()
export class CreateJobInput {
  @Field(() => ID, { nullable: true, description: "Generated when left out." })
  id?: string | null;

  @Field(() => String, { description: NAME_RULE })
  name!: string;

  @Field(() => String, { description: NAME_RULE })
  agentName!: string;

  @Field(() => ID, { nullable: true })
  missionId?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true })
  metadata?: JsonObject | null;

  @Field(() => JSONObjectScalar, { nullable: true })
  jobContext?: JsonObject | null;

  @Field(() => JSONScalar, { nullable: true })
  payload?: JsonValue | null;

  @Field(() => JSONScalar, { nullable: true })
  agentParameters?: JsonValue | null;
}

@InputType()
export class UpdateJobInput {
  @Field(() => String, { nullable: true, description: NAME_RULE })
  name?: string | null;

  @Field(() => String, { nullable: true, description: NAME_RULE })
  agentName?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "Replaces the whole object." })
  metadata?: JsonObject | null;

  @Field(() => JSONObjectScalar, { nullable: true })
  jobContext?: JsonObject | null;

  @Field(() => JSONScalar, { nullable: true })
  payload?: JsonValue | null;

  @Field(() => JSONScalar, { nullable: true })
  result?: JsonValue | null;

  @Field(() => String, { nullable: true })
  error?: string | null;

  @Field(() => JSONScalar, { nullable: true })
  agentParameters?: JsonValue | null;
}
