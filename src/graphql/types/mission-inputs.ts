// Inputs of the mission mutations; the services check the values.
import { Field, ID, InputType } from "type-graphql";
import type { JsonObject } from "../../domain/entities.js";
import { JSONObjectScalar } from "./scalars.js";

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
