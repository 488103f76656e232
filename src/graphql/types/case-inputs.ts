// Arguments of the cases list and inputs of the case mutations; the services check the values.
// Two inputs have names that differ only in word order, fixed by the contract: UpdateCaseInput
// edits a case's own fields (CaseEditInput here), CaseUpdateInput is one step appended to a case
// (CaseStepInput here).
import { ArgsType, Field, Float, ID, InputType } from "type-graphql";
import type { JsonObject, JsonValue } from "../../domain/entities.js";
import { CaseListArgs } from "./list-inputs.js";
import { JSONObjectScalar, JSONScalar } from "./scalars.js";
import { NAME_RULE } from "./shared-inputs.js";

@ArgsType()
export class CasesArgs extends CaseListArgs {
  @Field(() => ID, { nullable: true })
  jobId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only cases of the jobs of this mission." })
  missionId?: string | null;
}

@InputType()
export class StartCaseInput {
  @Field(() => ID)
  jobId!: string;

  @Field(() => ID, { nullable: true, description: "Generated when left out." })
  id?: string | null;

  @Field(() => String, { description: NAME_RULE })
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

@InputType("UpdateCaseInput", {
  description: "Fields to change on a case (updateCase); its steps are appended with addCaseUpdate.",
})
export class CaseEditInput {
  @Field(() => String, { nullable: true, description: NAME_RULE })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "Replaces the whole object." })
  metadata?: JsonObject | null;

  @Field(() => JSONScalar, { nullable: true })
  finalDelivery?: JsonValue | null;
}

@InputType("CaseUpdateInput", {
  description: "One step appended to a case (addCaseUpdate); the case's own fields change with updateCase.",
})
export class CaseStepInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Added to the case's totalCost: a number from 0 to 1000000000, kept to the millionth. A cost outside that range, or one that would take totalCost past 1000000000, is BAD_USER_INPUT and nothing is written.",
  })
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
