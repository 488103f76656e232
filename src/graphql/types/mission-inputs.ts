// Inputs of the mission mutations; the services check the values.
import { Field, ID, InputType } from "type-graphql";
import type { JsonObject } from "../../domain/entities.js";
import { JSONObjectScalar } from "./scalars.js";
import { NAME_RULE } from "./shared-inputs.js";

@InputType()
export class CreateMissionInput {
  @Field(() => ID, { nullable: true, description: "Generated when left out." })
  id?: string | null;

  @Field(() => String, { description: NAME_RULE })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true })
  metadata?: JsonObject | null;
}

@InputType()
export class UpdateMissionInput {
  @Field(() => String, { nullable: true, description: NAME_RULE })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "Replaces the whole object." })
  metadata?: JsonObject | null;
}
