// Arguments of the cases list and inputs of the case mutations; the services check the values.
import { ArgsType, Field, Float, ID, InputType } from "type-graphql";
import type { JsonObject, JsonValue } from "../../domain/entities.js";
import { JSONObjectScalar, JSONScalar } from "./scalars.js";
import { StatusPageArgs } from "./shared-inputs.js";

@ArgsType()
export class CasesArgs extends StatusPageArgs {
  @Field(() => ID, { nullable: true })
  jobId?: string | null;
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
