// Arguments and input objects of the contract's queries and mutations. Values are checked by
// the services (one place for the rules); here they only get their GraphQL shape.
import { ArgsType, Field, Float, ID, InputType, Int } from "type-graphql";
import type { JsonObject, JsonValue } from "../../domain/entities.js";
import type { EntityStatus } from "../../domain/lifecycle.js";
import { EntityStatusEnum } from "./enums.js";
import { JSONObjectScalar, JSONScalar } from "./scalars.js";

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "Page size: 50 when left out, at most 500." })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The endCursor of the previous page." })
  after?: string | null;
}

@ArgsType()
export class StatusPageArgs extends PageArgs {
  @Field(() => [EntityStatusEnum], { nullable: true, description: "Only entities in one of these statuses." })
  status?: EntityStatus[] | null;
}

@ArgsType()
export class JobsArgs extends StatusPageArgs {
  @Field(() => ID, { nullable: true })
  missionId?: string | null;

  @Field(() => String, { nullable: true })
  agentName?: string | null;
}

@ArgsType()
export class CasesArgs extends StatusPageArgs {
  @Field(() => ID, { nullable: true })
  jobId?: string | null;
}

@InputType({ description: "How a lifecycle event is fired." })
export class EventOptions {
  @Field(() => Int, {
    nullable: true,
    description: "Refuse with VERSION_CONFLICT unless the entity is at this version.",
  })
  expectedVersion?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "A retry with the same key returns the entity and writes nothing.",
  })
  idempotencyKey?: string | null;

  @Field(() => String, { nullable: true })
  actor?: string | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@InputType()
export class CreateMissionInput {
  @Field(() => ID, { nullable: true, description: "Generated when left out." })
  id?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true })
  metadata?: JsonObject | null;
}

@InputType()
export class UpdateMissionInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "Replaces the whole object." })
  metadata?: JsonObject | null;
}

@InputType()
export class CreateJobInput {
  @Field(() => ID, { nullable: true, description: "Generated when left out." })
  id?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String)
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
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
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

@InputType()
export class StartCaseInput {
  @Field(() => ID)
  jobId!: string;

  @Field(() => ID, { nullable: true, description: "Generated when left out." })
  id?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true })
  metadata?: JsonObject | null;

  @Field(() => String, { nullable: true, description: "Recorded on the START_WORK transition." })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: "Recorded on the START_WORK transition." })
  reason?: string | null;
}

@InputType()
export class UpdateCaseInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "Replaces the whole object." })
  metadata?: JsonObject | null;

  @Field(() => JSONScalar, { nullable: true })
  finalDelivery?: JsonValue | null;
}

@InputType()
export class CaseUpdateInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Float, { nullable: true, description: "Added to the case's totalCost." })
  cost?: number | null;

  @Field(() => JSONScalar, { nullable: true })
  payload?: JsonValue | null;

  @Field(() => Boolean, { nullable: true, description: "A final step's payload becomes the case's finalDelivery." })
  isFinal?: boolean | null;

  @Field(() => String, { nullable: true, description: "Fails the case (ERROR_ENCOUNTERED) with this as the reason." })
  error?: string | null;

  @Field(() => String, { nullable: true, description: "Recorded on the ERROR_ENCOUNTERED transition, if any." })
  actor?: string | null;
}
